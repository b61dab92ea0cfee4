// The VMSAv7 long-descriptor translation table format (the Large Physical
// Address Extension, TTBCR.EAE == 1): 64-bit descriptors in up to three
// levels of 512-entry tables, a 40-bit output address.
//
// Reference: Arm Architecture Reference Manual ARMv7-A and ARMv7-R edition
// (DDI 0406C), B3.6 "Long-descriptor translation table format", B3.6.1
// "Long-descriptor translation table format descriptors", B3.6.2 "Memory
// attributes in the Long-descriptor translation table format descriptors".
//
//   level  maps     input bits   a block/page descriptor's output address
//   1      1 GiB    [31:30]      bits[39:30]
//   2      2 MiB    [29:21]      bits[39:21]
//   3      4 KiB    [20:12]      bits[39:12]
//
// Table descriptor (levels 1 and 2), fields from bit 63 down:
//
//   [63] NSTable  [62:61] APTable  [60] XNTable  [59] PXNTable  [58:52] IGNORED
//   [51:40] SBZP  [39:12] next-level table address  [11:2] IGNORED  [1:0] 0b11
//
// Block (levels 1 and 2, [1:0] 0b01) and page (level 3, [1:0] 0b11):
//
//   [63:59] IGNORED  [58:55] reserved for software use  [54] XN  [53] PXN
//   [52] Contiguous  [51:40] SBZP  [39:n] output address  [n-1:12] SBZP
//   [11] nG  [10] AF  [9:8] SH[1:0]  [7:6] AP[2:1]  [5] NS  [4:2] AttrIndx[2:0]
//
// where n is 30 (level 1), 21 (level 2) or 12 (level 3).
//
// At level 3, bits[1:0] == 0b01 is reserved and behaves as an invalid entry.
// Bits a format marks IGNORED, SBZP or software are kept in the decoded
// structures, so every 64-bit value decodes and encodes back to itself.
#pragma once

#include <cstdint>
#include <variant>

#include "ptsim/hw/addr.h"
#include "ptsim/hw/arch/arm/memory_attributes.h"
#include "ptsim/hw/bits.h"

namespace ptsim::hw::arm::long_descriptor {

inline constexpr unsigned kFirstLevel = 1;
inline constexpr unsigned kLastLevel = 3;
inline constexpr unsigned kPageShift = 12;
inline constexpr unsigned kBitsPerLevel = 9;  // 512 entries of 8 bytes: one 4 KiB table
inline constexpr unsigned kEntriesPerTable = 1u << kBitsPerLevel;
inline constexpr unsigned kDescriptorBytes = 8;
inline constexpr unsigned kOutputAddressBits = 40;

// The address bits one entry at `level` maps: 30, 21, 12.
constexpr unsigned level_shift(unsigned level) {
  return kPageShift + kBitsPerLevel * (kLastLevel - level);
}
constexpr uint64_t level_size(unsigned level) {
  return uint64_t{1} << level_shift(level);
}

static_assert(level_size(1) == uint64_t{1} << 30);
static_assert(level_size(2) == uint64_t{2} << 20);
static_assert(level_size(3) == 4096);
static_assert(kEntriesPerTable * kDescriptorBytes == 4096);

// Fields (B3.6.1), in bit order.
namespace descriptor {
inline constexpr BitField type = field(1, 0);
}  // namespace descriptor

namespace table {
inline constexpr BitField ignored_low = field(11, 2);
inline constexpr BitField address = field(39, 12);  // next-level table address, PA[39:12]
inline constexpr BitField sbzp = field(51, 40);
inline constexpr BitField ignored_high = field(58, 52);
inline constexpr BitField pxn_table = flag(59);
inline constexpr BitField xn_table = flag(60);
inline constexpr BitField ap_table = field(62, 61);
inline constexpr BitField ns_table = flag(63);
}  // namespace table

// Blocks and pages share their attribute fields (B3.6.2).
namespace leaf {
inline constexpr BitField attr_indx = field(4, 2);
inline constexpr BitField ns = flag(5);
inline constexpr BitField ap = field(7, 6);  // AP[2:1]
inline constexpr BitField sh = field(9, 8);
inline constexpr BitField af = flag(10);
inline constexpr BitField ng = flag(11);
// The output address, PA[39:n], n = level_shift(level).
constexpr BitField output_address(unsigned level) {
  return field(39, level_shift(level));
}
inline constexpr BitField sbzp_high = field(51, 40);
inline constexpr BitField contiguous = flag(52);
inline constexpr BitField pxn = flag(53);
inline constexpr BitField xn = flag(54);
inline constexpr BitField software = field(58, 55);
inline constexpr BitField ignored = field(63, 59);
// The SBZP bits of a leaf at `level`: [51:40] and, below the output address,
// [n-1:12].
constexpr uint64_t sbzp_mask(unsigned level) {
  const uint64_t low =
      level_shift(level) > kPageShift ? genmask(level_shift(level) - 1, kPageShift) : 0;
  return sbzp_high.mask() | low;
}
}  // namespace leaf

// bits[1:0].  At level 3, 0b11 is a page and 0b01 is reserved (invalid).
enum class DescriptorType : uint8_t {
  invalid = 0b00,
  block = 0b01,
  table = 0b11,
};

// APTable: limits on subsequent levels' access permissions (B3.6.1,
// "Hierarchical control of access permissions").
enum class ApTable : uint8_t {
  no_effect = 0b00,
  no_pl0_access = 0b01,
  read_only = 0b10,
  read_only_no_pl0_access = 0b11,
};

// AP[2:1] of a block or page (B3.7.1, "Access permissions"): AP[2] selects
// read-only, AP[1] grants PL0 access.
enum class AccessPermission : uint8_t {
  pl1_read_write = 0b00,
  read_write = 0b01,
  pl1_read_only = 0b10,
  read_only = 0b11,
};

struct Invalid {
  unsigned level = kFirstLevel;
  uint64_t raw = 0;  // every bit, bits[1:0] included
  bool operator==(const Invalid&) const = default;
};

struct Table {
  unsigned level = kFirstLevel;  // 1 or 2
  PhysAddr next_table;           // 4 KiB aligned, below 2^40
  bool pxn_table = false;
  bool xn_table = false;
  ApTable ap_table = ApTable::no_effect;
  bool ns_table = false;
  uint64_t ignored = 0;  // bits[11:2] and [58:52], in place
  uint64_t sbzp = 0;     // bits[51:40], in place
  bool operator==(const Table&) const = default;
};

struct LeafAttributes {
  unsigned attr_indx = 0;  // AttrIndx[2:0], selects MAIR0/MAIR1 Attr<n>
  bool ns = false;
  AccessPermission ap = AccessPermission::pl1_read_write;
  Shareability sh = Shareability::non_shareable;
  bool af = false;
  bool ng = false;
  bool contiguous = false;
  bool pxn = false;
  bool xn = false;
  unsigned software = 0;  // bits[58:55]
  unsigned ignored = 0;   // bits[63:59]
  bool operator==(const LeafAttributes&) const = default;
};

struct Block {
  unsigned level = 2;  // 1 (1 GiB) or 2 (2 MiB)
  PhysAddr output_address;
  LeafAttributes attrs;
  uint64_t sbzp = 0;  // leaf::sbzp_mask(level) bits, in place
  bool operator==(const Block&) const = default;
};

struct Page {
  PhysAddr output_address;
  LeafAttributes attrs;
  uint64_t sbzp = 0;  // bits[51:40], in place
  bool operator==(const Page&) const = default;
};

using Descriptor = std::variant<Invalid, Table, Block, Page>;

// The memory region attributes of a block or page: AttrIndx selects an
// attribute byte of MAIR0/MAIR1, SH gives Normal memory's shareability
// (B3.8.4).
MemoryAttributes memory_attributes(const LeafAttributes& attrs, uint32_t mair0, uint32_t mair1);

// Decoding a level outside 1-3 is bad input.  The general form never fails
// otherwise; the specific forms throw ptsim::Error (bad_input) naming the
// value, the level and what it actually is.
Descriptor decode(uint64_t desc, unsigned level);
Table decode_table(uint64_t desc, unsigned level);
Block decode_block(uint64_t desc, unsigned level);
Page decode_page(uint64_t desc);

// Encoding checks every field: an address unaligned or beyond 40 bits, a
// value wider than its field, a block at level 3 or a table at level 3, an
// Invalid whose bits would make it valid, stray bits outside the SBZP or
// IGNORED masks: each throws ptsim::Error (bad_input).
uint64_t encode(const Invalid& d);
uint64_t encode(const Table& d);
uint64_t encode(const Block& d);
uint64_t encode(const Page& d);
uint64_t encode(const Descriptor& d);

}  // namespace ptsim::hw::arm::long_descriptor
