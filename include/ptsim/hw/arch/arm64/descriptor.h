// VMSAv8-64 stage 1 translation table descriptors (Arm ARM DDI 0487,
// D8.3 "Translation table descriptor formats").
//
//   63  62 61  60   59  58  55 54  53  52  51  50  49   12 11 10 9 8 7 6 5 4  2 1 0
//  +-------------------------------------------------------------------------------+
//  |NST|APT |UXNT|PXNT| ignored         ...   next-level table address    |ign|1 1| table
//  +-------------------------------------------------------------------------------+
//  |PBHA   | SW  |UXN|PXN|Cont|DBM|GP| output address |nG|AF|SH |AP |NS|AttrIdx|x 1| block/page
//  +-------------------------------------------------------------------------------+
//
// Bit 1 is 0 for a block and 1 for a table (levels 0-2) or a page (level 3);
// a level 3 descriptor with bit 1 clear is reserved and, like an invalid
// descriptor, gives a translation fault.
//
// Output addresses are 48 bits, or 52 bits with FEAT_LPA (64K granule:
// OA[51:48] in bits [15:12]) or FEAT_LPA2 with TCR.DS=1 (4K/16K granule:
// OA[51:50] in bits [9:8], the SH field moving to TCR).
#pragma once

#include <cstdint>
#include <string>

#include "ptsim/hw/addr.h"
#include "ptsim/hw/arch/arm64/granule.h"
#include "ptsim/hw/bits.h"

namespace ptsim::hw::arm64 {

// Every field, once, in the Arm ARM's order (D8.3.1, D8.3.2).
namespace desc {
inline constexpr BitField kValid = flag(0);
inline constexpr BitField kTableOrPage = flag(1);
// Block and page descriptors, lower attributes.
inline constexpr BitField kAttrIndx = field(4, 2);
inline constexpr BitField kNS = flag(5);
inline constexpr BitField kAP = field(7, 6);  // AP[2:1]
inline constexpr BitField kSH = field(9, 8);
inline constexpr BitField kAF = flag(10);
inline constexpr BitField kNG = flag(11);
// FEAT_LPA with the 64K granule: OA[51:48].
inline constexpr BitField kOA51_48 = field(15, 12);
// FEAT_LPA2 with TCR.DS=1: OA[51:50] where SH was.
inline constexpr BitField kOA51_50 = field(9, 8);
// Block and page descriptors, upper attributes.
inline constexpr BitField kGP = flag(50);  // FEAT_BTI guarded page
inline constexpr BitField kDBM = flag(51);
inline constexpr BitField kContiguous = flag(52);
inline constexpr BitField kPXN = flag(53);
inline constexpr BitField kUXN = flag(54);  // XN in a one-range regime
inline constexpr BitField kSoftware = field(58, 55);
inline constexpr BitField kPBHA = field(62, 59);
// Table descriptors, hierarchical attributes.
inline constexpr BitField kPXNTable = flag(59);
inline constexpr BitField kUXNTable = flag(60);
inline constexpr BitField kAPTable = field(62, 61);
inline constexpr BitField kNSTable = flag(63);
}  // namespace desc

// How output addresses are encoded (which 52-bit extension, if any).
enum class OaFormat {
  pa48,  // OA[47:0] in the address field
  lpa,   // FEAT_LPA, 64K granule: OA[51:48] in bits [15:12]
  lpa2,  // FEAT_LPA2, TCR.DS=1, 4K/16K granules: OA[51:50] in bits [9:8]
};

struct DescriptorFormat {
  Granule granule = Granule::k4K;
  OaFormat oa = OaFormat::pa48;
  // The implementation's physical address size (AArch64.PAMax): 52 with
  // FEAT_LPA, which also allows 64K level 1 blocks whatever TCR.IPS says.
  unsigned pa_max = 52;

  unsigned oa_bits() const { return oa == OaFormat::pa48 ? 48 : 52; }
};

enum class DescriptorKind { invalid, table, block, page, reserved };
std::string descriptor_kind_name(DescriptorKind kind);

// Whether a block descriptor is architecturally allowed at `level`
// (D8.3.1, AArch64.BlockDescSupported: 4K granule blocks at levels 1-2, and
// level 0 with TCR.DS=1; 16K at level 2, and 1 with DS=1; 64K at level 2,
// and 1 when the implementation's PAMax is 52).
inline bool block_allowed(const DescriptorFormat& fmt, int level) {
  switch (fmt.granule) {
    case Granule::k4K:
      return level == 1 || level == 2 || (level == 0 && fmt.oa == OaFormat::lpa2);
    case Granule::k16K:
      return level == 2 || (level == 1 && fmt.oa == OaFormat::lpa2);
    case Granule::k64K:
      return level == 2 || (level == 1 && (fmt.oa == OaFormat::lpa || fmt.pa_max == 52));
  }
  return false;
}

// What a descriptor at `level` is.  A block where blocks are not allowed is
// reserved (a translation fault), as is a level 3 descriptor with bit 1 clear.
inline DescriptorKind classify(const DescriptorFormat& fmt, int level, uint64_t raw) {
  if (!desc::kValid.get(raw)) {
    return DescriptorKind::invalid;
  }
  const bool bit1 = desc::kTableOrPage.get(raw) != 0;
  if (level == 3) {
    return bit1 ? DescriptorKind::page : DescriptorKind::reserved;
  }
  if (bit1) {
    return DescriptorKind::table;
  }
  return block_allowed(fmt, level) ? DescriptorKind::block : DescriptorKind::reserved;
}

// The output address of a block or page, or the next-level table address of
// a table descriptor (the lower bits of the address field masked off as the
// level requires).
inline PhysAddr output_address(const DescriptorFormat& fmt, int level, DescriptorKind kind, uint64_t raw) {
  // A block's address is aligned to its level, a table's or page's to the granule.
  const unsigned lo = kind == DescriptorKind::block ? level_shift(fmt.granule, level) : granule_shift(fmt.granule);
  switch (fmt.oa) {
    case OaFormat::pa48:
      return PhysAddr(raw & genmask(47, lo));
    case OaFormat::lpa:
      return PhysAddr((raw & genmask(47, lo)) | (desc::kOA51_48.get(raw) << 48));
    case OaFormat::lpa2:
      return PhysAddr((raw & genmask(49, lo)) | (desc::kOA51_50.get(raw) << 50));
  }
  return PhysAddr(0);
}

// The address field of a descriptor for `pa`, aligned to `align_shift`.
uint64_t encode_address(const DescriptorFormat& fmt, PhysAddr pa, unsigned align_shift);

struct LeafAttributes {
  unsigned attr_indx = 0;
  bool ns = false;
  unsigned ap = 0;  // AP[2:1]
  unsigned sh = 0;
  bool af = false;
  bool ng = false;
  bool gp = false;
  bool dbm = false;
  bool contiguous = false;
  bool pxn = false;
  bool uxn = false;
  unsigned software = 0;
  unsigned pbha = 0;

  uint64_t encode(const DescriptorFormat& fmt) const;
  static LeafAttributes decode(const DescriptorFormat& fmt, uint64_t raw);
  bool operator==(const LeafAttributes&) const = default;
};

struct TableAttributes {
  bool pxn_table = false;
  bool uxn_table = false;
  unsigned ap_table = 0;
  bool ns_table = false;

  uint64_t encode() const;
  static TableAttributes decode(uint64_t raw);
  bool operator==(const TableAttributes&) const = default;
};

// Descriptor builders.  They refuse (ptsim::Error, bad_input) an address that
// is misaligned for the level or does not fit the output-address format, and
// a block at a level that cannot hold one.
uint64_t make_table(const DescriptorFormat& fmt, int level, PhysAddr next_table, TableAttributes attrs = {});
uint64_t make_block(const DescriptorFormat& fmt, int level, PhysAddr oa, LeafAttributes attrs);
uint64_t make_page(const DescriptorFormat& fmt, PhysAddr oa, LeafAttributes attrs);

// A one-line, human reading of a descriptor: "block PA 0x40000000 AttrIndx=0
// SH=3 AP=0 AF nG UXN PXN".
std::string describe(const DescriptorFormat& fmt, int level, uint64_t raw);

}  // namespace ptsim::hw::arm64
