// Kernel command line -> CommandLine (Linux 6.1 parsing rules).
#include "fuzz_support.h"
#include "ptsim/machine/cmdline.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return ptsim::fuzz::refusals_allowed(
      [&] { (void)ptsim::machine::parse_command_line(ptsim::fuzz::as_text(data, size)); });
}
