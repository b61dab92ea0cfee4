// A model of the translation caches of an AArch64 MMU (Arm ARM DDI 0487,
// D8.13 "Translation Lookaside Buffers", D8.14 "TLB maintenance"): a
// set-associative TLB of leaf translations, optionally in front of it a
// small fully associative micro-TLB, and optionally a walk cache of table
// descriptors.
//
// Leaf entries are held at their size (a page, a block, or a whole
// contiguous run) and tagged by ASID unless global (nG=0).  Walk cache
// entries hold a table descriptor's next-level address with the table
// attributes gathered down to it, tagged by ASID and VA range.
//
// TLBI operations (C5.5 "A64 TLB maintenance instructions"), EL1&0:
//   VMALLE1   everything
//   VAE1      one VA, one ASID (and global entries), every level
//   VALE1     one VA, one ASID (and global entries), last level only
//   VAAE1     one VA, every ASID
//   VAALE1    one VA, every ASID, last level only
//   ASIDE1    one ASID, non-global entries only
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ptsim/hw/addr.h"
#include "ptsim/hw/arch/arm64/descriptor.h"
#include "ptsim/hw/arch/arm64/permissions.h"

namespace ptsim::hw::arm64 {

struct TlbConfig {
  unsigned entries = 1024;          // main TLB
  unsigned ways = 4;                // associativity; entries / ways sets (a power of two)
  unsigned micro_entries = 0;       // fully associative micro-TLB; 0 for none
  unsigned walk_cache_entries = 0;  // table-descriptor cache; 0 for none
  unsigned walk_cache_ways = 4;

  void validate() const;  // throws on sizes that are not powers of two
};

// What a leaf entry holds: enough to answer an access without a walk.
struct TlbEntry {
  uint64_t vpn = 0;      // VA[55:shift]
  uint64_t pa_base = 0;  // output address of the entry's first byte
  uint32_t stamp = 0;    // for least-recently-used replacement
  uint16_t asid = 0;
  uint8_t shift = 0;    // log2 of the entry size
  uint8_t perms = 0;    // Permissions packed, see pack_permissions
  uint8_t allowed = 0;  // bit access_index(a): `a` permitted, PSTATE.PAN applied
  uint8_t mair_attr = 0;
  int8_t level = 0;
  uint8_t domain = 0;  // VMSAv7 short format: the leaf's domain, checked on a hit
  bool global = false;
  bool valid = false;
  bool writable_clean = false;  // DBM=1, AP[2]=1 with TCR.HD: a write must walk to mark it dirty
};

uint8_t pack_permissions(const Permissions& p);
Permissions unpack_permissions(uint8_t bits);
// The packed form of permits().
bool packed_permits(uint8_t bits, Access access, bool pan);

// Accesses as bit numbers 0-5 (EL1 r/w/x, EL0 r/w/x), and the set of them
// a translation permits with PSTATE.PAN as given: a TLB hit is one bit test.
constexpr unsigned access_index(Access a) {
  return (a.el0 ? 3u : 0u) + static_cast<unsigned>(a.type);
}
uint8_t allowed_accesses(const Permissions& p, bool pan);

// One set-associative array of leaf entries of mixed sizes.  Beside the
// entries, one tag word per way holds the VPN and size of a valid entry
// (kNoTag for an invalid one), so probing a way is one compare of a word
// computed once per lookup; the ASID is compared only on a tag match.
class TlbArray {
 public:
  TlbArray() = default;
  TlbArray(unsigned entries, unsigned ways);

  // The entry translating `va` (bits [55:0]) for `asid`, or null.
  const TlbEntry* lookup(uint64_t va56, uint16_t asid) {
    for (uint64_t sizes = sizes_present_; sizes != 0; sizes &= sizes - 1) {
      const unsigned shift = static_cast<unsigned>(__builtin_ctzll(sizes));
      const uint64_t vpn = va56 >> shift;
      const uint64_t tag = make_tag(vpn, shift);
      const size_t set = (vpn & set_mask_) * ways_;
      for (unsigned w = 0; w < ways_; ++w) {
        if (tags_[set + w] != tag) {
          continue;
        }
        TlbEntry& e = entries_[set + w];
        if (e.global || e.asid == asid) {
          e.stamp = ++clock_;
          return &e;
        }
      }
    }
    return nullptr;
  }
  void insert(const TlbEntry& entry);
  // Invalidates entries that `match` selects.
  template <class Match>
  void invalidate_if(Match match) {
    for (size_t i = 0; i < entries_.size(); ++i) {
      TlbEntry& e = entries_[i];
      if (e.valid && match(e)) {
        e.valid = false;
        tags_[i] = kNoTag;
      }
    }
  }
  unsigned valid_entries() const;
  bool empty() const { return entries_.empty(); }

 private:
  // VPN above, log2 of the size in the low 6 bits: distinct for every
  // (VPN, size), and never all ones.
  static uint64_t make_tag(uint64_t vpn, unsigned shift) { return vpn << 6 | shift; }
  static constexpr uint64_t kNoTag = ~uint64_t{0};

  std::vector<TlbEntry> entries_;
  std::vector<uint64_t> tags_;
  unsigned ways_ = 1;
  uint64_t set_mask_ = 0;
  uint64_t sizes_present_ = 0;  // bit n: some entry of size 2^n has been inserted
  uint32_t clock_ = 0;
};

// A walk cache entry: the table a level's descriptor points to.
struct WalkCacheEntry {
  uint64_t vpn = 0;  // VA[55:shift] of the range the descriptor covers
  uint64_t table = 0;
  TableAttributes attrs;  // accumulated down to and including this descriptor
  uint32_t stamp = 0;
  uint16_t asid = 0;
  int8_t level = 0;  // of the table descriptor
  uint8_t shift = 0;
  uint8_t domain = 0;  // VMSAv7 short format: the page table's domain
  bool valid = false;
};

class WalkCache {
 public:
  WalkCache() = default;
  WalkCache(unsigned entries, unsigned ways);
  bool enabled() const { return !entries_.empty(); }
  const WalkCacheEntry* lookup(int level, unsigned shift, uint64_t va56, uint16_t asid);
  void insert(const WalkCacheEntry& entry);
  template <class Match>
  void invalidate_if(Match match) {
    for (WalkCacheEntry& e : entries_) {
      if (e.valid && match(e)) {
        e.valid = false;
      }
    }
  }

 private:
  std::vector<WalkCacheEntry> entries_;
  unsigned ways_ = 1;
  uint64_t set_mask_ = 0;
  uint32_t clock_ = 0;
};

enum class TlbiOp { vmalle1, vae1, vale1, vaae1, vaale1, aside1 };
std::optional<TlbiOp> parse_tlbi_op(std::string_view name);  // "vmalle1", "VAE1", ...
std::string tlbi_op_name(TlbiOp op);

}  // namespace ptsim::hw::arm64
