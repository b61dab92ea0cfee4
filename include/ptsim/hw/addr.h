// Strong address types.  A physical address, a virtual address and a page
// frame number are different things; mixing them is a compile error.  Only
// meaningful arithmetic is offered: address + offset, address - address,
// alignment.  Conversions between them are named functions.
#pragma once

#include <compare>
#include <cstdint>

#include <fmt/format.h>

namespace ptsim::hw {

template <class Tag>
class Address {
 public:
  constexpr Address() = default;
  constexpr explicit Address(uint64_t value) : value_(value) {}

  constexpr uint64_t value() const { return value_; }

  constexpr Address operator+(uint64_t offset) const { return Address(value_ + offset); }
  constexpr Address operator-(uint64_t offset) const { return Address(value_ - offset); }
  constexpr Address& operator+=(uint64_t offset) {
    value_ += offset;
    return *this;
  }
  // The distance between two addresses of the same space.
  constexpr uint64_t operator-(Address other) const { return value_ - other.value_; }

  constexpr Address align_down(uint64_t alignment) const { return Address(value_ & ~(alignment - 1)); }
  constexpr Address align_up(uint64_t alignment) const {
    return Address((value_ + alignment - 1) & ~(alignment - 1));
  }
  constexpr bool is_aligned(uint64_t alignment) const { return (value_ & (alignment - 1)) == 0; }

  constexpr auto operator<=>(const Address&) const = default;

 private:
  uint64_t value_ = 0;
};

struct PhysTag {};
struct VirtTag {};

using PhysAddr = Address<PhysTag>;
using VirtAddr = Address<VirtTag>;

// A page frame number: a physical address divided by a page size.  The page
// size is the caller's (4K, 16K or 64K), so the conversions take its shift.
class Pfn {
 public:
  constexpr Pfn() = default;
  constexpr explicit Pfn(uint64_t value) : value_(value) {}
  constexpr uint64_t value() const { return value_; }
  constexpr auto operator<=>(const Pfn&) const = default;

 private:
  uint64_t value_ = 0;
};

constexpr Pfn phys_to_pfn(PhysAddr pa, unsigned page_shift) { return Pfn(pa.value() >> page_shift); }
constexpr PhysAddr pfn_to_phys(Pfn pfn, unsigned page_shift) { return PhysAddr(pfn.value() << page_shift); }

}  // namespace ptsim::hw

// Formatting shows the address space: "PA 0x40000000", "VA 0xffff000000000000",
// "PFN 0x40000".  The format spec {:x} prints the bare hex number instead.
template <class Tag>
struct fmt::formatter<ptsim::hw::Address<Tag>> {
  bool bare = false;
  constexpr auto parse(format_parse_context& ctx) {
    auto it = ctx.begin();
    if (it != ctx.end() && *it == 'x') {
      bare = true;
      ++it;
    }
    return it;
  }
  template <class Ctx>
  auto format(const ptsim::hw::Address<Tag>& a, Ctx& ctx) const {
    if (bare) {
      return fmt::format_to(ctx.out(), "{:#x}", a.value());
    }
    constexpr const char* prefix = std::is_same_v<Tag, ptsim::hw::PhysTag> ? "PA" : "VA";
    return fmt::format_to(ctx.out(), "{} {:#x}", prefix, a.value());
  }
};

template <>
struct fmt::formatter<ptsim::hw::Pfn> {
  constexpr auto parse(format_parse_context& ctx) { return ctx.begin(); }
  template <class Ctx>
  auto format(const ptsim::hw::Pfn& p, Ctx& ctx) const {
    return fmt::format_to(ctx.out(), "PFN {:#x}", p.value());
  }
};
