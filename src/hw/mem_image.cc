#include "ptsim/hw/mem_image.h"

#include <fmt/format.h>

#include <cstring>
#include <fstream>

#include "ptsim/error.h"
#include "ptsim/error_context.h"
#include "ptsim/parse.h"

namespace ptsim::hw {
namespace {

// ELF64 layout (System V gABI): the fields read, at their offsets.
constexpr uint64_t kEhdrSize = 64;
constexpr uint64_t kPhdrSize = 56;
constexpr uint64_t kShdrSize = 64;
constexpr unsigned kElfClass64 = 2;
constexpr unsigned kElfData2Lsb = 1;
constexpr unsigned kEtCore = 4;
constexpr uint32_t kPtLoad = 1;
constexpr uint16_t kPnXnum = 0xffff;  // e_phnum escape: the count is in section 0's sh_info

uint64_t file_size(std::ifstream& in, const std::string& path) {
  in.seekg(0, std::ios::end);
  const auto end = in.tellg();
  if (end < 0) {
    throw bad_input(fmt::format("cannot read the size of '{}'", path));
  }
  in.seekg(0);
  return static_cast<uint64_t>(end);
}

std::vector<unsigned char> read_at(std::ifstream& in, const std::string& path, uint64_t offset,
                                   uint64_t size) {
  std::vector<unsigned char> buf(size);
  in.seekg(static_cast<std::streamoff>(offset));
  in.read(reinterpret_cast<char*>(buf.data()), static_cast<std::streamsize>(size));
  if (static_cast<uint64_t>(in.gcount()) != size) {
    throw bad_input(
        fmt::format("'{}': short read of {} bytes at offset {:#x}", path, size, offset));
  }
  return buf;
}

template <class T>
T get(const std::vector<unsigned char>& b, size_t at) {
  T v;
  std::memcpy(&v, b.data() + at, sizeof v);
  return v;
}

// Whether [offset, offset + size) lies inside a file of `total` bytes.
bool inside(uint64_t offset, uint64_t size, uint64_t total) {
  return offset <= total && size <= total - offset;
}

}  // namespace

bool is_elf_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  return in.gcount() == 4 && std::memcmp(magic,
                                         "\x7f"
                                         "ELF",
                                         4) == 0;
}

std::vector<CoreSegment> read_core_segments(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw cannot_open("memory image", path);
  }
  const uint64_t total = file_size(in, path);
  if (total < kEhdrSize) {
    throw bad_input(fmt::format("'{}' is {} bytes, shorter than an ELF64 header ({} bytes)", path,
                                total, kEhdrSize));
  }
  const auto eh = read_at(in, path, 0, kEhdrSize);
  if (std::memcmp(eh.data(),
                  "\x7f"
                  "ELF",
                  4) != 0) {
    throw bad_input(fmt::format("'{}' is not an ELF file (no \\x7fELF magic)", path));
  }
  if (eh[4] != kElfClass64 || eh[5] != kElfData2Lsb) {
    throw bad_input(fmt::format("'{}': ELF class {} data {} is not ELF64 little-endian (2, 1)",
                                path, eh[4], eh[5]));
  }
  if (get<uint16_t>(eh, 16) != kEtCore) {
    throw bad_input(fmt::format("'{}': ELF type {} is not a core file (ET_CORE = 4)", path,
                                get<uint16_t>(eh, 16)));
  }
  const uint64_t phoff = get<uint64_t>(eh, 32);
  const uint64_t shoff = get<uint64_t>(eh, 40);
  const uint16_t phentsize = get<uint16_t>(eh, 54);
  uint64_t phnum = get<uint16_t>(eh, 56);
  if (phentsize != kPhdrSize) {
    throw bad_input(fmt::format("'{}': e_phentsize {} is not {} (ELF64 program header)", path,
                                phentsize, kPhdrSize));
  }
  if (phnum == kPnXnum) {
    if (!inside(shoff, kShdrSize, total)) {
      throw bad_input(fmt::format(
          "'{}': e_phnum is PN_XNUM but section header 0 at {:#x} is past the end ({} bytes)", path,
          shoff, total));
    }
    phnum = get<uint32_t>(read_at(in, path, shoff, kShdrSize), 44);
  }
  if (phnum > total / kPhdrSize || !inside(phoff, phnum * kPhdrSize, total)) {
    throw bad_input(fmt::format(
        "'{}': {} program headers at offset {:#x} do not fit in the file ({} bytes): truncated? "
        "(fix: copy the whole core again)",
        path, phnum, phoff, total));
  }
  const auto ph = read_at(in, path, phoff, phnum * kPhdrSize);
  std::vector<CoreSegment> segments;
  for (uint64_t i = 0; i < phnum; ++i) {
    const size_t at = static_cast<size_t>(i * kPhdrSize);
    if (get<uint32_t>(ph, at) != kPtLoad) {
      continue;
    }
    CoreSegment s;
    s.offset = get<uint64_t>(ph, at + 8);
    s.vaddr = get<uint64_t>(ph, at + 16);
    s.paddr = PhysAddr(get<uint64_t>(ph, at + 24));
    s.filesz = get<uint64_t>(ph, at + 32);
    s.memsz = get<uint64_t>(ph, at + 40);
    if (!inside(s.offset, s.filesz, total)) {
      throw bad_input(
          fmt::format("'{}': PT_LOAD {} claims {:#x} bytes at file offset {:#x}, past the end of "
                      "the file ({:#x} bytes): truncated? (fix: copy the whole core again)",
                      path, i, s.filesz, s.offset, total));
    }
    if (s.filesz > s.memsz) {
      throw bad_input(fmt::format("'{}': PT_LOAD {} has p_filesz {:#x} larger than p_memsz {:#x}",
                                  path, i, s.filesz, s.memsz));
    }
    if (s.memsz == 0) {
      continue;
    }
    segments.push_back(s);
  }
  if (segments.empty()) {
    throw bad_input(fmt::format("'{}': an ELF core with no PT_LOAD segment holds no memory", path));
  }
  return segments;
}

void load_elf_core(PhysMem& mem, const std::string& path) {
  const std::vector<CoreSegment> segments = read_core_segments(path);
  std::ifstream in(path, std::ios::binary);
  std::vector<std::byte> chunk(1 << 20);
  for (const CoreSegment& s : segments) {
    mem.add_ram(s.paddr, s.memsz, path);
    in.seekg(static_cast<std::streamoff>(s.offset));
    uint64_t done = 0;
    while (done < s.filesz) {
      const uint64_t n = std::min<uint64_t>(chunk.size(), s.filesz - done);
      in.read(reinterpret_cast<char*>(chunk.data()), static_cast<std::streamsize>(n));
      if (static_cast<uint64_t>(in.gcount()) != n) {
        throw bad_input(
            fmt::format("'{}': short read in the segment at {:#x}", path, s.paddr.value()));
      }
      mem.load_image(s.paddr + done, std::span(chunk.data(), n));
      done += n;
    }
  }
}

void load_memory_spec(PhysMem& mem, const std::string& spec) {
  const auto at = spec.rfind('@');
  if (at == std::string::npos) {
    if (!is_elf_file(spec)) {
      std::ifstream probe(spec, std::ios::binary);
      if (!probe) {
        throw cannot_open("memory image", spec);
      }
      throw bad_input(
          fmt::format("memory image '{}' is not an ELF core, and a raw image needs the physical "
                      "address it starts at "
                      "(fix: give FILE@PA, e.g. --mem {}@0x40000000)",
                      spec, spec));
    }
    load_elf_core(mem, spec);
    return;
  }
  const std::string file = spec.substr(0, at);
  if (is_elf_file(file)) {
    throw bad_input(fmt::format(
        "'{}' is an ELF core, which carries its own physical addresses (fix: drop '@{}': --mem {})",
        file, spec.substr(at + 1), file));
  }
  load_raw_image_spec(mem, spec);
}

void load_raw_image_spec(PhysMem& mem, const std::string& spec) {
  const auto at = spec.rfind('@');
  if (at == std::string::npos) {
    throw usage_error(fmt::format(
        "--mem '{}' gives no physical address (fix: give FILE@PA, e.g. --mem {}@0x40000000)", spec,
        spec));
  }
  const std::string file = spec.substr(0, at);
  const std::string pa_text = spec.substr(at + 1);
  uint64_t pa = 0;
  try {
    pa = parse_u64(pa_text, "physical address");
  } catch (const Error&) {
    throw bad_input(
        fmt::format("--mem '{}': physical address '{}' is not a number (fix: give it in hex, e.g. "
                    "--mem {}@0x40000000)",
                    spec, pa_text, file));
  }
  std::ifstream in(file, std::ios::binary | std::ios::ate);
  if (!in) {
    throw cannot_open("memory image", file);
  }
  const auto size = static_cast<uint64_t>(in.tellg());
  if (size == 0) {
    throw bad_input(fmt::format("memory image '{}' is empty: it holds no memory", file));
  }
  mem.add_ram(PhysAddr(pa), size, file);
  mem.load_image_file(file, PhysAddr(pa));
}

}  // namespace ptsim::hw
