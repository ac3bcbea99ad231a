#include <cstdio>
int main() { std::puts("guidance: under construction"); return 0; }
