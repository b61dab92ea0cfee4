// Memory images: ELF cores as QEMU's dump-guest-memory writes them, and
// every way a file can lie about its own layout.
#include "ptsim/hw/mem_image.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "ptsim/error.h"

namespace ptsim::hw {
namespace {

struct Segment {
  uint64_t paddr;
  std::vector<uint8_t> bytes;
  uint64_t memsz;
};

template <class T>
void put(std::vector<uint8_t>& b, size_t at, T v) {
  if (b.size() < at + sizeof v) {
    b.resize(at + sizeof v);
  }
  std::memcpy(b.data() + at, &v, sizeof v);
}

// An ELF64 little-endian ET_CORE file: header, a PT_NOTE, one PT_LOAD per
// segment, then the segments' bytes.
std::vector<uint8_t> core_file(const std::vector<Segment>& segs, bool pn_xnum = false) {
  std::vector<uint8_t> f(64);
  std::memcpy(f.data(),
              "\x7f"
              "ELF",
              4);
  f[4] = 2;  // ELFCLASS64
  f[5] = 1;  // ELFDATA2LSB
  f[6] = 1;
  put<uint16_t>(f, 16, 4);    // ET_CORE
  put<uint16_t>(f, 18, 183);  // EM_AARCH64
  put<uint64_t>(f, 32, 64);   // e_phoff
  put<uint16_t>(f, 52, 64);
  put<uint16_t>(f, 54, 56);
  const uint64_t phnum = segs.size() + 1;
  put<uint16_t>(f, 56, pn_xnum ? 0xffff : static_cast<uint16_t>(phnum));
  uint64_t data = 64 + phnum * 56;
  const uint64_t shoff = data;
  f.resize(data + (pn_xnum ? 64 : 0));
  if (pn_xnum) {
    put<uint64_t>(f, 40, shoff);
    put<uint16_t>(f, 58, 64);
    put<uint16_t>(f, 60, 1);
    data += 64;
  }
  put<uint32_t>(f, 64, 4);  // PT_NOTE, empty
  for (size_t i = 0; i < segs.size(); ++i) {
    const size_t at = 64 + (i + 1) * 56;
    put<uint32_t>(f, at, 1);  // PT_LOAD
    put<uint64_t>(f, at + 8, data);
    put<uint64_t>(f, at + 24, segs[i].paddr);
    put<uint64_t>(f, at + 32, segs[i].bytes.size());
    put<uint64_t>(f, at + 40, segs[i].memsz);
    data += segs[i].bytes.size();
  }
  if (pn_xnum) {
    put<uint32_t>(f, shoff + 44, static_cast<uint32_t>(phnum));
  }
  for (const Segment& s : segs) {
    f.insert(f.end(), s.bytes.begin(), s.bytes.end());
  }
  return f;
}

class TempFile {
 public:
  explicit TempFile(const std::vector<uint8_t>& bytes) {
    char name[] = "/tmp/ptsim-image-XXXXXX";
    const int fd = ::mkstemp(name);
    path_ = name;
    ::close(fd);
    std::ofstream(path_, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
  }
  ~TempFile() { ::unlink(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::vector<uint8_t> pattern(size_t n, uint8_t seed) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) {
    v[i] = static_cast<uint8_t>(seed + i * 7);
  }
  return v;
}

std::string load_error(const std::vector<uint8_t>& bytes) {
  TempFile f(bytes);
  PhysMem mem;
  try {
    load_memory_spec(mem, f.path());
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(ElfCore, LoadsSegmentsAtTheirPhysicalAddresses) {
  TempFile f(core_file(
      {{0x40000000, pattern(0x2000, 1), 0x3000}, {0x80000000, pattern(0x1000, 9), 0x1000}}));
  PhysMem mem;
  load_memory_spec(mem, f.path());
  ASSERT_EQ(mem.banks().size(), 2u);
  EXPECT_EQ(mem.banks()[0].size, 0x3000u);
  uint64_t expect;
  const auto p = pattern(0x2000, 1);
  std::memcpy(&expect, p.data() + 0x1ff8, 8);
  EXPECT_EQ(mem.load64(PhysAddr(0x40001ff8)), expect);
  EXPECT_EQ(mem.load64(PhysAddr(0x40002000)), 0u);           // past p_filesz: zero
  EXPECT_EQ(mem.load32(PhysAddr(0x80000000)), 0x1e171009u);  // bytes 9, 16, 23, 30
}

TEST(ElfCore, ReadsTheSegmentCountFromSectionZeroWithPnXnum) {
  TempFile f(core_file({{0x40000000, pattern(0x1000, 3), 0x1000}}, true));
  EXPECT_EQ(read_core_segments(f.path()).size(), 1u);
}

TEST(ElfCore, RefusesMalformedFiles) {
  const auto good = core_file({{0x40000000, pattern(0x1000, 1), 0x1000}});
  // Truncated: the segment's bytes are cut short.
  EXPECT_NE(load_error(std::vector<uint8_t>(good.begin(), good.end() - 1)).find("past the end"),
            std::string::npos);
  // Truncated inside the header.
  EXPECT_NE(load_error(std::vector<uint8_t>(good.begin(), good.begin() + 40))
                .find("shorter than an ELF64 header"),
            std::string::npos);
  // Program headers past the end, and a count that would overflow.
  auto many = good;
  put<uint16_t>(many, 56, 0xfffe);
  EXPECT_NE(load_error(many).find("program headers"), std::string::npos);
  auto far = good;
  put<uint64_t>(far, 32, ~uint64_t{0} - 8);
  EXPECT_NE(load_error(far).find("program headers"), std::string::npos);
  // A segment claiming an offset near 2^64.
  auto off = good;
  put<uint64_t>(off, 64 + 56 + 8, ~uint64_t{0} - 16);
  EXPECT_NE(load_error(off).find("past the end"), std::string::npos);
  // p_filesz above p_memsz.
  auto sizes = good;
  put<uint64_t>(sizes, 64 + 56 + 40, 0x10);
  EXPECT_NE(load_error(sizes).find("larger than p_memsz"), std::string::npos);
  // A memsz beyond the 52-bit space is refused by the bank, not allocated.
  auto huge = good;
  put<uint64_t>(huge, 64 + 56 + 40, uint64_t{1} << 60);
  EXPECT_NE(load_error(huge).find("52-bit"), std::string::npos);
  // 32-bit, big-endian, not a core.
  auto c32 = good;
  c32[4] = 1;
  EXPECT_NE(load_error(c32).find("not ELF64 little-endian"), std::string::npos);
  auto be = good;
  be[5] = 2;
  EXPECT_NE(load_error(be).find("not ELF64 little-endian"), std::string::npos);
  auto exec = good;
  put<uint16_t>(exec, 16, 2);
  EXPECT_NE(load_error(exec).find("not a core file"), std::string::npos);
  auto phent = good;
  put<uint16_t>(phent, 54, 32);
  EXPECT_NE(load_error(phent).find("e_phentsize"), std::string::npos);
  // PN_XNUM with the section header missing.
  auto xnum = good;
  put<uint16_t>(xnum, 56, 0xffff);
  put<uint64_t>(xnum, 40, 1 << 20);
  EXPECT_NE(load_error(xnum).find("PN_XNUM"), std::string::npos);
}

TEST(ElfCore, NoLoadSegmentIsAnError) {
  EXPECT_NE(load_error(core_file({})).find("no PT_LOAD"), std::string::npos);
}

TEST(RawImage, NeedsAnAddressAndIsNotElf) {
  const std::vector<uint8_t> raw = pattern(0x1000, 5);
  EXPECT_NE(load_error(raw).find("FILE@PA"), std::string::npos);
  TempFile f(raw);
  PhysMem mem;
  load_memory_spec(mem, f.path() + "@0x40000000");
  EXPECT_EQ(mem.load32(PhysAddr(0x40000000)), 0x1a130c05u);
  TempFile core(core_file({{0x40000000, pattern(0x1000, 1), 0x1000}}));
  PhysMem mem2;
  EXPECT_THROW(load_memory_spec(mem2, core.path() + "@0x0"), Error);
  EXPECT_THROW(load_memory_spec(mem2, "/nonexistent/file@0x0"), Error);
}

}  // namespace
}  // namespace ptsim::hw
