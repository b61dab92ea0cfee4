// A program that leaks on purpose, to prove that the leak check of
// `make test` (LeakSanitizer, with the ASAN_OPTIONS every test runs under)
// reports a leak: tests/leak_check/leak_check.sh runs it.
//
//   leaking_helper leak      loses a 4 KiB table page's worth of memory, exits 0
//   leaking_helper no-leak   allocates and frees the same, exits 0
#include <cstdio>
#include <cstring>
#include <memory>

namespace {

// Written through a volatile pointer so that the compiler keeps the
// allocation and the store that loses it.
void* volatile g_lost = nullptr;

// Allocates in a frame of its own that is gone before exit: LeakSanitizer
// scans the live stack and registers conservatively, and a copy of the
// pointer left in main's frame would hide the leak.
[[gnu::noinline]] void lose_a_page() {
  auto page = std::make_unique<unsigned char[]>(4096);
  page[0] = 1;
  g_lost = page.release();
  g_lost = nullptr;  // the only pointer to the page is gone
}

[[gnu::noinline]] void keep_a_page() {
  auto page = std::make_unique<unsigned char[]>(4096);
  page[0] = 1;
  g_lost = page.get();
  g_lost = nullptr;
}

// Overwrites the stack the calls above used.
[[gnu::noinline]] void scrub_stack() {
  volatile unsigned char scratch[16384];
  for (auto& b : scratch) {
    b = 0;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 || (std::strcmp(argv[1], "leak") != 0 && std::strcmp(argv[1], "no-leak") != 0)) {
    std::fprintf(stderr, "usage: leaking_helper leak|no-leak\n");
    return 2;
  }
  if (std::strcmp(argv[1], "leak") == 0) {
    lose_a_page();
  } else {
    keep_a_page();
  }
  scrub_stack();
  return 0;
}
