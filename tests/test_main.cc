// Test entry point shared by every test binary: libsodium is initialised once, as main() does.
#include <gtest/gtest.h>
#include <sodium.h>

int main(int argc, char** argv) {
  if (sodium_init() < 0) return 2;
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
