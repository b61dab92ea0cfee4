// VMSAv7 memory region attributes for the short-descriptor format: what the
// TEX[2:0], C, B and S bits of a section, supersection or page mean, with
// TEX remap off (SCTLR.TRE == 0) and on (SCTLR.TRE == 1, through PRRR and
// NMRR).
//
// For the long-descriptor format, the AttrIndx of a block or page selects an
// attribute byte of MAIR0/MAIR1.
//
// Reference: Arm Architecture Reference Manual ARMv7-A and ARMv7-R edition
// (DDI 0406C), B3.8.2 "Short-descriptor format memory region attributes,
// without TEX remap", B3.8.3 "Short-descriptor format memory region
// attributes, with TEX remap", B3.8.4 "Long-descriptor format memory region
// attributes", and the PRRR, NMRR, MAIR0 and MAIR1 descriptions in B4.1.
#pragma once

#include <cstdint>

#include "ptsim/hw/bits.h"

namespace ptsim::hw::arm {

// Memory type.  The first four values are the PRRR.TRn encodings (B4.1
// PRRR); implementation_defined arises only from TEX remap off with TEX
// 0b001, C 1, B 0 (B3.8.2, "TEX, C, and B encodings when TRE == 0").
enum class MemoryType : uint8_t {
  strongly_ordered = 0b00,
  device = 0b01,
  normal = 0b10,
  reserved = 0b11,
  implementation_defined = 0b100,
};

// Cacheability of Normal memory, one level (inner or outer).  The values are
// the encoding used both by TEX[1:0] / C,B of a "cacheable memory" TEX=0b1BB
// descriptor and by NMRR.IRn / NMRR.ORn (B3.8.2, "Inner and Outer cache
// attribute encoding"; B4.1 NMRR).
enum class CacheAttribute : uint8_t {
  non_cacheable = 0b00,
  write_back_write_allocate = 0b01,
  write_through = 0b10,  // no write-allocate
  write_back = 0b11,     // no write-allocate
};

// Shareability, valued as the long-descriptor SH[1:0] field (B3.6.2), which
// the short-descriptor model reuses so both formats speak one type.
enum class Shareability : uint8_t {
  non_shareable = 0b00,
  reserved = 0b01,
  outer_shareable = 0b10,
  inner_shareable = 0b11,
};

// The resolved attributes of a memory region.  inner and outer are
// meaningful for Normal memory only and are non_cacheable otherwise.
struct MemoryAttributes {
  MemoryType type = MemoryType::strongly_ordered;
  CacheAttribute inner = CacheAttribute::non_cacheable;
  CacheAttribute outer = CacheAttribute::non_cacheable;
  Shareability shareability = Shareability::outer_shareable;

  bool operator==(const MemoryAttributes&) const = default;
};

// PRRR, Primary Region Remap Register (B4.1 PRRR).  TRn for n = TEX[0]:C:B
// is bits [2n+1:2n]; NOSn is bit [24+n].
namespace prrr {
constexpr BitField tr(unsigned n) {
  return field(2 * n + 1, 2 * n);
}
inline constexpr BitField ds0 = flag(16);  // Device, S == 0: shareable
inline constexpr BitField ds1 = flag(17);  // Device, S == 1: shareable
inline constexpr BitField ns0 = flag(18);  // Normal, S == 0: shareable
inline constexpr BitField ns1 = flag(19);  // Normal, S == 1: shareable
constexpr BitField nos(unsigned n) {
  return flag(24 + n);
}  // 1: Inner Shareable only
}  // namespace prrr

// NMRR, Normal Memory Remap Register (B4.1 NMRR).
namespace nmrr {
constexpr BitField ir(unsigned n) {
  return field(2 * n + 1, 2 * n);
}
constexpr BitField or_(unsigned n) {
  return field(2 * n + 17, 2 * n + 16);
}
}  // namespace nmrr

// The region attributes of TEX[2:0], C, B and S with TEX remap disabled
// (B3.8.2).  Reserved encodings resolve to MemoryType::reserved.  Shareable
// regions are Outer Shareable: without remap there is no NOS control.
MemoryAttributes memory_attributes_without_remap(unsigned tex, bool c, bool b, bool s);

// The region attributes with TEX remap enabled (B3.8.3): n = TEX[0]:C:B
// selects PRRR.TRn, NMRR.IRn and NMRR.ORn; TEX[2:1] are free for the OS.
// S chooses between PRRR.NS0/NS1 (Normal) or DS0/DS1 (Device), and PRRR.NOSn
// makes a shareable Normal region Inner rather than Outer Shareable.
MemoryAttributes memory_attributes_with_remap(unsigned tex, bool c, bool b, bool s, uint32_t prrr,
                                              uint32_t nmrr);

// MAIR0 holds Attr0-Attr3, MAIR1 Attr4-Attr7, one byte each (B4.1 MAIR0,
// MAIR1).  Within a byte, Attr[7:4] is the outer and Attr[3:0] the inner
// attribute of Normal memory; Attr[7:4] == 0 means Strongly-ordered (Attr
// 0x00) or Device (Attr 0x04).
namespace mair {
inline constexpr unsigned kAttrsPerRegister = 4;
constexpr BitField attr(unsigned n) {
  return field(8 * (n % kAttrsPerRegister) + 7, 8 * (n % kAttrsPerRegister));
}
inline constexpr BitField outer = field(7, 4);
inline constexpr BitField inner = field(3, 0);
}  // namespace mair

// Attr<attr_indx> (0-7) from MAIR0/MAIR1.
uint8_t mair_attr(uint32_t mair0, uint32_t mair1, unsigned attr_indx);

// The region attributes of one MAIR attribute byte with a descriptor's SH
// field (B3.8.4).  Normal memory's half-bytes: 0b0100 Non-cacheable, 0b00RW
// and 0b01RW (RW != 0) Write-Through and Write-Back transient, 0b10RW
// Write-Through, 0b11RW Write-Back; R (bit 1) and W (bit 0) are the
// read- and write-allocate hints.  Transience
// and read-allocate have no place in CacheAttribute and are dropped.  Any
// encoding the architecture leaves UNPREDICTABLE resolves to reserved.
// Strongly-ordered and Device memory are Outer Shareable whatever SH says.
MemoryAttributes memory_attributes_from_mair(uint8_t attr, Shareability sh);

}  // namespace ptsim::hw::arm
