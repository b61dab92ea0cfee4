#include "ptsim/hw/arch/arm64/tlb.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "ptsim/error.h"
#include "ptsim/hw/bits.h"

namespace ptsim::hw::arm64 {
namespace {

// The way of a set an insertion takes: an invalid way or one holding the
// same translation, else the least recently used (smallest stamp).
template <class Entry, class SameTranslation>
Entry* replace_in_set(Entry* set, unsigned ways, SameTranslation same) {
  Entry* victim = set;
  for (unsigned w = 0; w < ways; ++w) {
    Entry& e = set[w];
    if (!e.valid || same(e)) {
      return &e;
    }
    if (e.stamp < victim->stamp) {
      victim = &e;
    }
  }
  return victim;
}

}  // namespace

void TlbConfig::validate() const {
  const auto check = [](unsigned n, unsigned w, const char* what) {
    if (n == 0) {
      return;
    }
    if (w == 0 || n % w != 0 || !is_power_of_two(n / w)) {
      throw bad_input(fmt::format(
          "{}: {} entries in {} ways do not make a power-of-two number of sets", what, n, w));
    }
  };
  if (entries == 0) {
    throw bad_input("the main TLB needs at least one entry");
  }
  check(entries, ways, "main TLB");
  check(walk_cache_entries, walk_cache_ways, "walk cache");
}

namespace {
// Bit order of packed permissions.
enum : uint8_t { kR0 = 1, kW0 = 2, kX0 = 4, kR1 = 8, kW1 = 16, kX1 = 32 };
}  // namespace

uint8_t pack_permissions(const Permissions& p) {
  return static_cast<uint8_t>((p.el0_read ? kR0 : 0) | (p.el0_write ? kW0 : 0) |
                              (p.el0_exec ? kX0 : 0) | (p.el1_read ? kR1 : 0) |
                              (p.el1_write ? kW1 : 0) | (p.el1_exec ? kX1 : 0));
}

Permissions unpack_permissions(uint8_t b) {
  return {(b & kR0) != 0, (b & kW0) != 0, (b & kX0) != 0,
          (b & kR1) != 0, (b & kW1) != 0, (b & kX1) != 0};
}

bool packed_permits(uint8_t bits, Access access, bool pan) {
  static constexpr uint8_t kNeed[2][3] = {{kR1, kW1, kX1}, {kR0, kW0, kX0}};
  const uint8_t need = kNeed[access.el0 ? 1 : 0][static_cast<unsigned>(access.type)];
  if ((bits & need) == 0) {
    return false;
  }
  // PAN: EL1 data access to memory EL0 can read or write.
  return !(pan && !access.el0 && access.type != AccessType::execute && (bits & (kR0 | kW0)) != 0);
}

// permits() for the six accesses at once, as bits access_index(a): this is
// worked out on every TLB fill, so it is plain bit arithmetic rather than six
// calls (tests/hw/arch/arm64/tlb_test.cc checks it against permits() for
// every Permissions and PAN).
uint8_t allowed_accesses(const Permissions& p, bool pan) {
  const auto at = [](bool on, bool el0, AccessType t) {
    return on ? 1u << access_index(Access{el0, t}) : 0u;
  };
  // PAN: EL1 data access to memory EL0 can read or write faults.
  const bool pan_blocks = pan && (p.el0_read || p.el0_write);
  return static_cast<uint8_t>(
      at(p.el1_read && !pan_blocks, false, AccessType::read) |
      at(p.el1_write && !pan_blocks, false, AccessType::write) |
      at(p.el1_exec, false, AccessType::execute) | at(p.el0_read, true, AccessType::read) |
      at(p.el0_write, true, AccessType::write) | at(p.el0_exec, true, AccessType::execute));
}

TlbArray::TlbArray(unsigned entries, unsigned ways)
    : entries_(entries), tags_(entries, kNoTag), ways_(ways), set_mask_(entries / ways - 1) {}

void TlbArray::insert(const TlbEntry& entry) {
  const size_t set = (entry.vpn & set_mask_) * ways_;
  TlbEntry* victim = replace_in_set(&entries_[set], ways_, [&](const TlbEntry& e) {
    return e.vpn == entry.vpn && e.shift == entry.shift && e.asid == entry.asid;
  });
  *victim = entry;
  victim->valid = true;
  victim->stamp = ++clock_;
  tags_[static_cast<size_t>(victim - entries_.data())] = make_tag(entry.vpn, entry.shift);
  sizes_present_ |= uint64_t{1} << entry.shift;
}

unsigned TlbArray::valid_entries() const {
  return static_cast<unsigned>(
      std::count_if(entries_.begin(), entries_.end(), [](const TlbEntry& e) { return e.valid; }));
}

WalkCache::WalkCache(unsigned entries, unsigned ways)
    : entries_(entries), ways_(ways), set_mask_(entries == 0 ? 0 : entries / ways - 1) {}

const WalkCacheEntry* WalkCache::lookup(int level, unsigned shift, uint64_t va56, uint16_t asid) {
  const uint64_t vpn = va56 >> shift;
  WalkCacheEntry* set = &entries_[((vpn ^ static_cast<uint64_t>(level)) & set_mask_) * ways_];
  for (unsigned w = 0; w < ways_; ++w) {
    WalkCacheEntry& e = set[w];
    if (e.valid && e.vpn == vpn && e.level == level && e.asid == asid) {
      e.stamp = ++clock_;
      return &e;
    }
  }
  return nullptr;
}

void WalkCache::insert(const WalkCacheEntry& entry) {
  WalkCacheEntry* victim = replace_in_set(
      &entries_[((entry.vpn ^ static_cast<uint64_t>(entry.level)) & set_mask_) * ways_], ways_,
      [&](const WalkCacheEntry& e) {
        return e.vpn == entry.vpn && e.level == entry.level && e.asid == entry.asid;
      });
  *victim = entry;
  victim->valid = true;
  victim->stamp = ++clock_;
}

namespace {
struct TlbiName {
  TlbiOp op;
  const char* name;
};
constexpr std::array<TlbiName, 6> kTlbiNames = {{{TlbiOp::vmalle1, "vmalle1"},
                                                 {TlbiOp::vae1, "vae1"},
                                                 {TlbiOp::vale1, "vale1"},
                                                 {TlbiOp::vaae1, "vaae1"},
                                                 {TlbiOp::vaale1, "vaale1"},
                                                 {TlbiOp::aside1, "aside1"}}};
}  // namespace

std::optional<TlbiOp> parse_tlbi_op(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  // The Inner Shareable forms act alike on a single-PE model.
  if (lower.size() > 2 && lower.ends_with("is")) {
    lower.resize(lower.size() - 2);
  }
  for (const TlbiName& n : kTlbiNames) {
    if (lower == n.name) {
      return n.op;
    }
  }
  return std::nullopt;
}

std::string tlbi_op_name(TlbiOp op) {
  for (const TlbiName& n : kTlbiNames) {
    if (n.op == op) {
      std::string s = n.name;
      std::transform(s.begin(), s.end(), s.begin(),
                     [](unsigned char c) { return std::toupper(c); });
      return s;
    }
  }
  return "?";
}

}  // namespace ptsim::hw::arm64
