#include "ptsim/hw/arch/arm/memory_attributes.h"

#include <fmt/format.h>

#include <array>
#include <optional>

#include "ptsim/error.h"

namespace ptsim::hw::arm {
namespace {

constexpr unsigned kTexLimit = 8;  // TEX is three bits

void check_tex(unsigned tex) {
  if (tex >= kTexLimit) {
    throw bad_input(fmt::format("TEX {:#x} does not fit TEX[2:0]", tex));
  }
}

// One row of "TEX, C, and B encodings when TRE == 0" (B3.8.2) for TEX[2] == 0.
struct RemapOffRow {
  MemoryType type;
  CacheAttribute cache;  // both inner and outer
  bool follows_s;        // shareability from the S bit; otherwise fixed below
  Shareability fixed;
};

constexpr RemapOffRow kSo{MemoryType::strongly_ordered, CacheAttribute::non_cacheable, false,
                          Shareability::outer_shareable};
constexpr RemapOffRow kReserved{MemoryType::reserved, CacheAttribute::non_cacheable, false,
                                Shareability::non_shareable};

constexpr RemapOffRow normal(CacheAttribute cache) {
  return RemapOffRow{MemoryType::normal, cache, true, Shareability::non_shareable};
}

// Indexed by TEX[1:0]:C:B.
constexpr std::array<RemapOffRow, 16> kRemapOff = {{
    kSo,  // 000 0 0
    {MemoryType::device, CacheAttribute::non_cacheable, false,
     Shareability::outer_shareable},        // 000 0 1
    normal(CacheAttribute::write_through),  // 000 1 0
    normal(CacheAttribute::write_back),     // 000 1 1
    normal(CacheAttribute::non_cacheable),  // 001 0 0
    kReserved,                              // 001 0 1
    {MemoryType::implementation_defined, CacheAttribute::non_cacheable, false,
     Shareability::non_shareable},                      // 001 1 0
    normal(CacheAttribute::write_back_write_allocate),  // 001 1 1
    {MemoryType::device, CacheAttribute::non_cacheable, false,
     Shareability::non_shareable},  // 010 0 0
    kReserved,                      // 010 0 1
    kReserved,                      // 010 1 0
    kReserved,                      // 010 1 1
    kReserved,
    kReserved,
    kReserved,
    kReserved,  // 011 x x
}};

constexpr Shareability normal_shareability(bool shareable, bool inner_only) {
  if (!shareable) {
    return Shareability::non_shareable;
  }
  return inner_only ? Shareability::inner_shareable : Shareability::outer_shareable;
}

MemoryAttributes from_row(const RemapOffRow& row, bool s) {
  return MemoryAttributes{row.type, row.cache, row.cache,
                          row.follows_s ? normal_shareability(s, false) : row.fixed};
}

}  // namespace

MemoryAttributes memory_attributes_without_remap(unsigned tex, bool c, bool b, bool s) {
  check_tex(tex);
  const unsigned cb = (unsigned{c} << 1) | unsigned{b};
  if ((tex & 0b100) != 0) {
    // TEX = 0b1BB, C:B = AA: cacheable Normal memory, outer BB, inner AA.
    return MemoryAttributes{MemoryType::normal, static_cast<CacheAttribute>(cb),
                            static_cast<CacheAttribute>(tex & 0b11), normal_shareability(s, false)};
  }
  return from_row(kRemapOff[(tex << 2) | cb], s);
}

MemoryAttributes memory_attributes_with_remap(unsigned tex, bool c, bool b, bool s, uint32_t prrr,
                                              uint32_t nmrr) {
  check_tex(tex);
  const unsigned n = ((tex & 1) << 2) | (unsigned{c} << 1) | unsigned{b};
  const auto type = static_cast<MemoryType>(prrr::tr(n).get(prrr));
  switch (type) {
    case MemoryType::normal: {
      const bool shareable = (s ? prrr::ns1 : prrr::ns0).get(prrr) != 0;
      return MemoryAttributes{type, static_cast<CacheAttribute>(nmrr::ir(n).get(nmrr)),
                              static_cast<CacheAttribute>(nmrr::or_(n).get(nmrr)),
                              normal_shareability(shareable, prrr::nos(n).get(prrr) != 0)};
    }
    case MemoryType::device: {
      const bool shareable = (s ? prrr::ds1 : prrr::ds0).get(prrr) != 0;
      return MemoryAttributes{
          type, CacheAttribute::non_cacheable, CacheAttribute::non_cacheable,
          shareable ? Shareability::outer_shareable : Shareability::non_shareable};
    }
    case MemoryType::strongly_ordered:
      return from_row(kSo, s);
    default:
      return from_row(kReserved, s);
  }
}

namespace {

constexpr unsigned kAttrIndxLimit = 8;
constexpr uint8_t kMairStronglyOrdered = 0x00;
constexpr uint8_t kMairDevice = 0x04;
constexpr unsigned kMairNonCacheable = 0b0100;

// One half-byte of a Normal memory attribute, or nullopt if UNPREDICTABLE.
std::optional<CacheAttribute> mair_cache(unsigned half) {
  if (half == kMairNonCacheable) {
    return CacheAttribute::non_cacheable;
  }
  if (half == 0) {
    return std::nullopt;  // an inner 0b0000 under a Normal outer is UNPREDICTABLE
  }
  const unsigned policy = half >> 2;  // 00, 01 transient; 10, 11 not
  const bool write_allocate = (half & 1) != 0;
  if (policy == 0b00 || policy == 0b10) {
    return CacheAttribute::write_through;
  }
  return write_allocate ? CacheAttribute::write_back_write_allocate : CacheAttribute::write_back;
}

}  // namespace

uint8_t mair_attr(uint32_t mair0, uint32_t mair1, unsigned attr_indx) {
  if (attr_indx >= kAttrIndxLimit) {
    throw bad_input(fmt::format("AttrIndx {} does not fit AttrIndx[2:0]", attr_indx));
  }
  const uint32_t reg = attr_indx < mair::kAttrsPerRegister ? mair0 : mair1;
  return static_cast<uint8_t>(mair::attr(attr_indx).get(reg));
}

MemoryAttributes memory_attributes_from_mair(uint8_t attr, Shareability sh) {
  if (attr == kMairStronglyOrdered) {
    return from_row(kSo, false);
  }
  if (attr == kMairDevice) {
    return MemoryAttributes{MemoryType::device, CacheAttribute::non_cacheable,
                            CacheAttribute::non_cacheable, Shareability::outer_shareable};
  }
  const auto outer = static_cast<unsigned>(mair::outer.get(attr));
  const auto inner = static_cast<unsigned>(mair::inner.get(attr));
  const std::optional<CacheAttribute> o = mair_cache(outer);
  const std::optional<CacheAttribute> i = mair_cache(inner);
  if (outer == 0 || !o || !i) {
    return from_row(kReserved, false);
  }
  return MemoryAttributes{MemoryType::normal, *i, *o, sh};
}

}  // namespace ptsim::hw::arm
