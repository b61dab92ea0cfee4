// ELF core file -> PT_LOAD segments -> RAM banks.  The loader reads a path,
// so each input is written to a file of this process first; the file is
// removed when the process exits.
#include <unistd.h>

#include <fstream>
#include <string>

#include "fuzz_support.h"
#include "ptsim/hw/mem_image.h"

namespace {

struct InputFile {
  const std::string path = "/tmp/ptsim-elf-core-fuzz." + std::to_string(getpid());
  ~InputFile() { unlink(path.c_str()); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const InputFile file;
  const std::string& path = file.path;
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  return ptsim::fuzz::refusals_allowed([&] {
    ptsim::hw::PhysMem mem;
    ptsim::hw::load_memory_spec(mem, path);
  });
}
