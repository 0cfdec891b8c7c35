/* Linked with one layer's whole library (CMakeLists.txt, "The layers"):
 * the link fails when that layer calls a layer it may not. */
int main(void) { return 0; }
