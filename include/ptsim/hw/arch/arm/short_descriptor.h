// The VMSAv7 short-descriptor translation table format: 32-bit descriptors,
// a first-level table of 4096 entries each mapping 1 MiB, and second-level
// tables of 256 entries each mapping 4 KiB.
//
// Reference: Arm Architecture Reference Manual ARMv7-A and ARMv7-R edition
// (DDI 0406C), B3.5 "Short-descriptor translation table format", B3.5.1
// "Short-descriptor translation table format descriptors" (the first-level
// and second-level descriptor format figures), B3.7.1 "Access permissions",
// B3.7.3 "Domains" (DACR).
//
// First-level descriptors (B3.5.1), fields from bit 31 down:
//
//   fault         [31:2] IGNORED                                        [1:0] 0b00
//   page table    [31:10] base PA[31:10]  [9] IMP  [8:5] Domain  [4] SBZ  [3] NS
//                 [2] PXN                                               [1:0] 0b01
//   section       [31:20] base PA[31:20]  [19] NS  [18] 0  [17] nG  [16] S  [15] AP[2]
//                 [14:12] TEX  [11:10] AP[1:0]  [9] IMP  [8:5] Domain  [4] XN  [3] C
//                 [2] B                                            [1] 1  [0] PXN
//   supersection  [31:24] base PA[31:24]  [23:20] PA[35:32]  [19] NS  [18] 1  [17] nG
//                 [16] S  [15] AP[2]  [14:12] TEX  [11:10] AP[1:0]  [9] IMP
//                 [8:5] PA[39:36]  [4] XN  [3] C  [2] B            [1] 1  [0] PXN
//
// Second-level descriptors (B3.5.1):
//
//   fault         [31:2] IGNORED                                        [1:0] 0b00
//   large page    [31:16] base PA[31:16]  [15] XN  [14:12] TEX  [11] nG  [10] S
//   (64 KiB)      [9] AP[2]  [8:6] SBZ  [5:4] AP[1:0]  [3] C  [2] B     [1:0] 0b01
//   small page    [31:12] base PA[31:12]  [11] nG  [10] S  [9] AP[2]  [8:6] TEX
//   (4 KiB)       [5:4] AP[1:0]  [3] C  [2] B                      [1] 1  [0] XN
//
// The model is of an implementation that includes the PXN bit (every
// implementation with the Large Physical Address Extension does), so a
// first-level descriptor with bits[1:0] == 0b11 is a section or supersection
// with PXN set.  Bits a format marks IGNORED or SBZ are kept in the decoded
// structures, so every 32-bit value decodes and encodes back to itself.
#pragma once

#include <cstdint>
#include <optional>
#include <variant>

#include "ptsim/hw/addr.h"
#include "ptsim/hw/arch/arm/memory_attributes.h"
#include "ptsim/hw/bits.h"

namespace ptsim::hw::arm::short_descriptor {

// Geometry (B3.5): 4096 first-level entries of 1 MiB, 256 second-level
// entries of 4 KiB; supersections of 16 MiB, large pages of 64 KiB.
inline constexpr unsigned kSectionShift = 20;
inline constexpr unsigned kSupersectionShift = 24;
inline constexpr unsigned kLargePageShift = 16;
inline constexpr unsigned kSmallPageShift = 12;
inline constexpr uint64_t kSectionSize = uint64_t{1} << kSectionShift;
inline constexpr uint64_t kSupersectionSize = uint64_t{1} << kSupersectionShift;
inline constexpr uint64_t kLargePageSize = uint64_t{1} << kLargePageShift;
inline constexpr uint64_t kSmallPageSize = uint64_t{1} << kSmallPageShift;
inline constexpr unsigned kFirstLevelEntries = 1u << (32 - kSectionShift);
inline constexpr unsigned kSecondLevelEntries = 1u << (kSectionShift - kSmallPageShift);
inline constexpr unsigned kDescriptorBytes = 4;
inline constexpr uint64_t kFirstLevelTableBytes = kFirstLevelEntries * kDescriptorBytes;
inline constexpr uint64_t kSecondLevelTableBytes = kSecondLevelEntries * kDescriptorBytes;
// A supersection (and a large page) is repeated in 16 consecutive entries.
inline constexpr unsigned kSupersectionRepeat = 1u << (kSupersectionShift - kSectionShift);
inline constexpr unsigned kLargePageRepeat = 1u << (kLargePageShift - kSmallPageShift);
// A supersection's output address is up to 40 bits; everything else is 32.
inline constexpr unsigned kSupersectionPaBits = 40;
inline constexpr unsigned kPaBits = 32;
inline constexpr unsigned kDomains = 16;

static_assert(kFirstLevelEntries == 4096);
static_assert(kSecondLevelEntries == 256);
static_assert(kFirstLevelTableBytes == 16 * 1024);
static_assert(kSecondLevelTableBytes == 1024);
static_assert(kSupersectionRepeat == 16 && kLargePageRepeat == 16);

// Fields, one namespace per format, in the order of the B3.5.1 figures.
namespace first_level {
inline constexpr BitField type = field(1, 0);
}  // namespace first_level

namespace page_table {
inline constexpr BitField pxn = flag(2);
inline constexpr BitField ns = flag(3);
inline constexpr BitField sbz = flag(4);
inline constexpr BitField domain = field(8, 5);
inline constexpr BitField imp = flag(9);
inline constexpr BitField base = field(31, 10);  // page table base address, PA[31:10]
}  // namespace page_table

namespace section {
inline constexpr BitField pxn = flag(0);
inline constexpr BitField b = flag(2);
inline constexpr BitField c = flag(3);
inline constexpr BitField xn = flag(4);
inline constexpr BitField domain = field(8, 5);
inline constexpr BitField imp = flag(9);
inline constexpr BitField ap = field(11, 10);  // AP[1:0]
inline constexpr BitField tex = field(14, 12);
inline constexpr BitField apx = flag(15);  // AP[2]
inline constexpr BitField s = flag(16);
inline constexpr BitField ng = flag(17);
inline constexpr BitField supersection = flag(18);  // 0: section
inline constexpr BitField ns = flag(19);
inline constexpr BitField base = field(31, 20);  // section base address, PA[31:20]
}  // namespace section

// A supersection shares the section layout except where the section has its
// domain and base address.
namespace supersection {
using section::b;
using section::c;
using section::pxn;
using section::xn;
inline constexpr BitField base_39_36 = field(8, 5);  // extended base address, PA[39:36]
using section::ap;
using section::apx;
using section::imp;
using section::ng;
using section::ns;
using section::s;
using section::supersection;  // 1: supersection
using section::tex;
inline constexpr BitField base_35_32 = field(23, 20);  // extended base address, PA[35:32]
inline constexpr BitField base = field(31, 24);        // supersection base address, PA[31:24]
// The physical-address bits each base field holds.
inline constexpr BitField pa_base = field(31, 24);
inline constexpr BitField pa_35_32 = field(35, 32);
inline constexpr BitField pa_39_36 = field(39, 36);
}  // namespace supersection

namespace second_level {
inline constexpr BitField type = field(1, 0);
}  // namespace second_level

namespace large_page {
inline constexpr BitField b = flag(2);
inline constexpr BitField c = flag(3);
inline constexpr BitField ap = field(5, 4);  // AP[1:0]
inline constexpr BitField sbz = field(8, 6);
inline constexpr BitField apx = flag(9);  // AP[2]
inline constexpr BitField s = flag(10);
inline constexpr BitField ng = flag(11);
inline constexpr BitField tex = field(14, 12);
inline constexpr BitField xn = flag(15);
inline constexpr BitField base = field(31, 16);  // large page base address, PA[31:16]
}  // namespace large_page

namespace small_page {
inline constexpr BitField xn = flag(0);
inline constexpr BitField b = flag(2);
inline constexpr BitField c = flag(3);
inline constexpr BitField ap = field(5, 4);  // AP[1:0]
inline constexpr BitField tex = field(8, 6);
inline constexpr BitField apx = flag(9);  // AP[2]
inline constexpr BitField s = flag(10);
inline constexpr BitField ng = flag(11);
inline constexpr BitField base = field(31, 12);  // small page base address, PA[31:12]
}  // namespace small_page

// The kind of a first-level descriptor, valued as the bits that identify it:
// bits[1:0], and bit[18] when bit[1] is set.  A section's PXN (bit[0]) is not
// part of its kind.
enum class FirstLevelKind : uint32_t {
  fault = 0b00,
  page_table = 0b01,
  section = 0b10,
  supersection = 0b10 | static_cast<uint32_t>(section::supersection.mask()),
};

// The kind of a second-level descriptor, valued as bits[1:0] with a small
// page's XN (bit[0]) clear.
enum class SecondLevelKind : uint32_t {
  fault = 0b00,
  large_page = 0b01,
  small_page = 0b10,
};

FirstLevelKind first_level_kind(uint32_t desc);
SecondLevelKind second_level_kind(uint32_t desc);
const char* to_string(FirstLevelKind kind);
const char* to_string(SecondLevelKind kind);

// The attributes every leaf descriptor carries, at format-specific positions.
struct RegionAttributes {
  bool b = false;
  bool c = false;
  unsigned tex = 0;  // TEX[2:0]
  unsigned ap = 0;   // AP[1:0]
  bool apx = false;  // AP[2]
  bool s = false;
  bool ng = false;
  bool xn = false;

  // AP[2:0], as the access permission tables of B3.7.1 index it.
  constexpr unsigned ap_2_0() const { return (unsigned{apx} << 2) | ap; }
  bool operator==(const RegionAttributes&) const = default;
};

// The memory region attributes of a leaf: with SCTLR.TRE == 0 from TEX, C, B
// and S directly (B3.8.2); with SCTLR.TRE == 1 through PRRR and NMRR
// (B3.8.3).  prrr and nmrr are read only when tre is set.
MemoryAttributes memory_attributes(const RegionAttributes& attrs, bool tre, uint32_t prrr = 0,
                                   uint32_t nmrr = 0);

// A fault (invalid) entry; bits[31:2] are IGNORED by the hardware and free
// for software.  `ignored` holds them in place (bits[1:0] zero).
struct Fault {
  uint32_t ignored = 0;
  bool operator==(const Fault&) const = default;
};

struct PageTable {
  PhysAddr base;  // of a 1 KiB second-level table
  bool pxn = false;
  bool ns = false;
  bool sbz = false;  // bit[4], SBZ in VMSAv7 (earlier architectures needed it set)
  unsigned domain = 0;
  bool imp = false;
  bool operator==(const PageTable&) const = default;
};

struct Section {
  PhysAddr base;  // 1 MiB aligned, below 4 GiB
  RegionAttributes attrs;
  bool pxn = false;
  unsigned domain = 0;
  bool imp = false;
  bool ns = false;
  bool operator==(const Section&) const = default;
};

// A supersection has no domain field: it is always in domain 0 (B3.7.3).
struct Supersection {
  PhysAddr base;  // 16 MiB aligned, up to 40 bits
  RegionAttributes attrs;
  bool pxn = false;
  bool imp = false;
  bool ns = false;
  bool operator==(const Supersection&) const = default;
};

struct LargePage {
  PhysAddr base;  // 64 KiB aligned, below 4 GiB
  RegionAttributes attrs;
  unsigned sbz = 0;  // bits[8:6]
  bool operator==(const LargePage&) const = default;
};

struct SmallPage {
  PhysAddr base;  // 4 KiB aligned, below 4 GiB
  RegionAttributes attrs;
  bool operator==(const SmallPage&) const = default;
};

using FirstLevelDescriptor = std::variant<Fault, PageTable, Section, Supersection>;
using SecondLevelDescriptor = std::variant<Fault, LargePage, SmallPage>;

// Decoding never fails for the general forms: every 32-bit value is some
// descriptor.  The specific forms throw ptsim::Error (bad_input) naming the
// value and its actual kind when the value is not of the requested kind.
FirstLevelDescriptor decode_first_level(uint32_t desc);
SecondLevelDescriptor decode_second_level(uint32_t desc);
PageTable decode_page_table(uint32_t desc);
Section decode_section(uint32_t desc);
Supersection decode_supersection(uint32_t desc);
LargePage decode_large_page(uint32_t desc);
SmallPage decode_small_page(uint32_t desc);

// Encoding checks every field: a base address that is unaligned or beyond
// the format's output address size, a field value wider than its field, or
// fault bits in bits[1:0] throw ptsim::Error (bad_input).
uint32_t encode(const Fault& d);
uint32_t encode(const PageTable& d);
uint32_t encode(const Section& d);
uint32_t encode(const Supersection& d);
uint32_t encode(const LargePage& d);
uint32_t encode(const SmallPage& d);
uint32_t encode(const FirstLevelDescriptor& d);
uint32_t encode(const SecondLevelDescriptor& d);

// What a leaf's AP bits allow at PL1 (privileged) and PL0 (unprivileged),
// before domains, XN and PXN are considered (B3.7.1, "Access permissions").
struct AccessPermissions {
  bool pl1_read = false;
  bool pl1_write = false;
  bool pl0_read = false;
  bool pl0_write = false;
  bool operator==(const AccessPermissions&) const = default;
};

// With SCTLR.AFE == 0, AP[2:0] indexes "VMSAv7 MMU access permissions"; the
// reserved encoding 0b100 gives nullopt.  With SCTLR.AFE == 1 (the simplified
// model) only AP[2:1] count: AP[0] is the Access flag.
std::optional<AccessPermissions> access_permissions(const RegionAttributes& attrs, bool afe);

// Domain access control, valued as the DACR.Dn encoding (B3.7.3, B4.1 DACR).
enum class DomainAccess : uint8_t {
  no_access = 0b00,
  client = 0b01,  // accesses checked against the permission bits
  reserved = 0b10,
  manager = 0b11,  // accesses not checked
};

namespace dacr {
constexpr BitField d(unsigned n) {
  return field(2 * n + 1, 2 * n);
}
}  // namespace dacr

// The access DACR grants to `domain` (0-15); a larger domain is bad input.
DomainAccess domain_access(uint32_t dacr, unsigned domain);

}  // namespace ptsim::hw::arm::short_descriptor
