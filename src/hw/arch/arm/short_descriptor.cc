#include "ptsim/hw/arch/arm/short_descriptor.h"

#include <fmt/format.h>

#include <array>

#include "checked_field.h"
#include "ptsim/error.h"

namespace ptsim::hw::arm::short_descriptor {
namespace {

// Where one leaf format keeps the attributes all leaves share.
struct AttributeLayout {
  BitField b, c, tex, ap, apx, s, ng, xn;
};

constexpr AttributeLayout kSectionLayout{section::b,   section::c, section::tex, section::ap,
                                         section::apx, section::s, section::ng,  section::xn};
// A supersection keeps its attributes where a section does (B3.5.1).
constexpr const AttributeLayout& kSupersectionLayout = kSectionLayout;
constexpr AttributeLayout kLargePageLayout{large_page::b,  large_page::c,   large_page::tex,
                                           large_page::ap, large_page::apx, large_page::s,
                                           large_page::ng, large_page::xn};
constexpr AttributeLayout kSmallPageLayout{small_page::b,  small_page::c,   small_page::tex,
                                           small_page::ap, small_page::apx, small_page::s,
                                           small_page::ng, small_page::xn};

RegionAttributes decode_attrs(const AttributeLayout& l, uint32_t desc) {
  RegionAttributes a;
  a.b = l.b.get(desc) != 0;
  a.c = l.c.get(desc) != 0;
  a.tex = static_cast<unsigned>(l.tex.get(desc));
  a.ap = static_cast<unsigned>(l.ap.get(desc));
  a.apx = l.apx.get(desc) != 0;
  a.s = l.s.get(desc) != 0;
  a.ng = l.ng.get(desc) != 0;
  a.xn = l.xn.get(desc) != 0;
  return a;
}

uint64_t put(uint64_t word, BitField f, uint64_t value, const char* what, const char* name) {
  return put_checked(word, f, value, what, name, "B3.5.1");
}

uint64_t encode_attrs(const AttributeLayout& l, uint64_t word, const RegionAttributes& a,
                      const char* format) {
  word = put(word, l.b, a.b, format, "B");
  word = put(word, l.c, a.c, format, "C");
  word = put(word, l.tex, a.tex, format, "TEX");
  word = put(word, l.ap, a.ap, format, "AP[1:0]");
  word = put(word, l.apx, a.apx, format, "AP[2]");
  word = put(word, l.s, a.s, format, "S");
  word = put(word, l.ng, a.ng, format, "nG");
  return put(word, l.xn, a.xn, format, "XN");
}

// The bits of a base address the descriptor holds: aligned to `shift` and
// below 2^pa_bits, or bad input.
uint64_t base_bits(PhysAddr base, unsigned shift, unsigned pa_bits, const char* format) {
  if (!base.is_aligned(uint64_t{1} << shift)) {
    throw bad_input(fmt::format("{} base address {:x} is not aligned to {:#x} (Arm ARM B3.5.1)",
                                format, base, uint64_t{1} << shift));
  }
  if ((base.value() >> pa_bits) != 0) {
    throw bad_input(
        fmt::format("{} base address {:x} does not fit the {}-bit output address of the format "
                    "(Arm ARM B3.5.1)",
                    format, base, pa_bits));
  }
  return base.value() >> shift;
}

[[noreturn]] void wrong_kind(uint32_t desc, const char* wanted, const char* actual,
                             const char* level) {
  throw bad_input(fmt::format("{:#010x} is a {} {} descriptor, not a {} (Arm ARM B3.5.1)", desc,
                              level, actual, wanted));
}

// "VMSAv7 MMU access permissions" (B3.7.1), indexed by AP[2:0], SCTLR.AFE == 0:
// {PL1 read, PL1 write, PL0 read, PL0 write}.
constexpr std::array<std::optional<AccessPermissions>, 8> kFullAccessModel = {{
    AccessPermissions{false, false, false, false},  // 000 no access
    AccessPermissions{true, true, false, false},    // 001 PL1 only
    AccessPermissions{true, true, true, false},     // 010 PL0 read-only
    AccessPermissions{true, true, true, true},      // 011 full access
    std::nullopt,                                   // 100 reserved
    AccessPermissions{true, false, false, false},   // 101 PL1 read-only
    AccessPermissions{true, false, true, false},    // 110 read-only (deprecated)
    AccessPermissions{true, false, true, false},    // 111 read-only
}};

// The simplified model (SCTLR.AFE == 1), indexed by AP[2:1].
constexpr std::array<AccessPermissions, 4> kSimplifiedModel = {{
    {true, true, false, false},   // 00 PL1 read/write
    {true, true, true, true},     // 01 read/write at any level
    {true, false, false, false},  // 10 PL1 read-only
    {true, false, true, false},   // 11 read-only at any level
}};

}  // namespace

std::optional<AccessPermissions> access_permissions(const RegionAttributes& attrs, bool afe) {
  if (afe) {
    return kSimplifiedModel[attrs.ap_2_0() >> 1];
  }
  return kFullAccessModel[attrs.ap_2_0()];
}

FirstLevelKind first_level_kind(uint32_t desc) {
  const uint64_t type = first_level::type.get(desc);
  if (type == 0b00) {
    return FirstLevelKind::fault;
  }
  if (type == 0b01) {
    return FirstLevelKind::page_table;
  }
  return section::supersection.get(desc) != 0 ? FirstLevelKind::supersection
                                              : FirstLevelKind::section;
}

SecondLevelKind second_level_kind(uint32_t desc) {
  const uint64_t type = second_level::type.get(desc);
  if (type == 0b00) {
    return SecondLevelKind::fault;
  }
  return type == 0b01 ? SecondLevelKind::large_page : SecondLevelKind::small_page;
}

const char* to_string(FirstLevelKind kind) {
  switch (kind) {
    case FirstLevelKind::fault:
      return "fault";
    case FirstLevelKind::page_table:
      return "page table";
    case FirstLevelKind::section:
      return "section";
    case FirstLevelKind::supersection:
      return "supersection";
  }
  return "?";
}

const char* to_string(SecondLevelKind kind) {
  switch (kind) {
    case SecondLevelKind::fault:
      return "fault";
    case SecondLevelKind::large_page:
      return "large page";
    case SecondLevelKind::small_page:
      return "small page";
  }
  return "?";
}

MemoryAttributes memory_attributes(const RegionAttributes& attrs, bool tre, uint32_t prrr,
                                   uint32_t nmrr) {
  if (tre) {
    return memory_attributes_with_remap(attrs.tex, attrs.c, attrs.b, attrs.s, prrr, nmrr);
  }
  return memory_attributes_without_remap(attrs.tex, attrs.c, attrs.b, attrs.s);
}

FirstLevelDescriptor decode_first_level(uint32_t desc) {
  switch (first_level_kind(desc)) {
    case FirstLevelKind::fault:
      return Fault{desc};
    case FirstLevelKind::page_table:
      return decode_page_table(desc);
    case FirstLevelKind::section:
      return decode_section(desc);
    case FirstLevelKind::supersection:
      return decode_supersection(desc);
  }
  throw Error(ErrorKind::internal, "unreachable first-level kind");
}

SecondLevelDescriptor decode_second_level(uint32_t desc) {
  switch (second_level_kind(desc)) {
    case SecondLevelKind::fault:
      return Fault{desc};
    case SecondLevelKind::large_page:
      return decode_large_page(desc);
    case SecondLevelKind::small_page:
      return decode_small_page(desc);
  }
  throw Error(ErrorKind::internal, "unreachable second-level kind");
}

PageTable decode_page_table(uint32_t desc) {
  if (const FirstLevelKind k = first_level_kind(desc); k != FirstLevelKind::page_table) {
    wrong_kind(desc, "page table", to_string(k), "first-level");
  }
  PageTable d;
  d.base = PhysAddr(desc & page_table::base.mask());
  d.pxn = page_table::pxn.get(desc) != 0;
  d.ns = page_table::ns.get(desc) != 0;
  d.sbz = page_table::sbz.get(desc) != 0;
  d.domain = static_cast<unsigned>(page_table::domain.get(desc));
  d.imp = page_table::imp.get(desc) != 0;
  return d;
}

Section decode_section(uint32_t desc) {
  if (const FirstLevelKind k = first_level_kind(desc); k != FirstLevelKind::section) {
    wrong_kind(desc, "section", to_string(k), "first-level");
  }
  Section d;
  d.base = PhysAddr(desc & section::base.mask());
  d.attrs = decode_attrs(kSectionLayout, desc);
  d.pxn = section::pxn.get(desc) != 0;
  d.domain = static_cast<unsigned>(section::domain.get(desc));
  d.imp = section::imp.get(desc) != 0;
  d.ns = section::ns.get(desc) != 0;
  return d;
}

Supersection decode_supersection(uint32_t desc) {
  if (const FirstLevelKind k = first_level_kind(desc); k != FirstLevelKind::supersection) {
    wrong_kind(desc, "supersection", to_string(k), "first-level");
  }
  Supersection d;
  uint64_t pa = supersection::pa_base.set(0, supersection::base.get(desc));
  pa = supersection::pa_35_32.set(pa, supersection::base_35_32.get(desc));
  d.base = PhysAddr(supersection::pa_39_36.set(pa, supersection::base_39_36.get(desc)));
  d.attrs = decode_attrs(kSupersectionLayout, desc);
  d.pxn = supersection::pxn.get(desc) != 0;
  d.imp = supersection::imp.get(desc) != 0;
  d.ns = supersection::ns.get(desc) != 0;
  return d;
}

LargePage decode_large_page(uint32_t desc) {
  if (const SecondLevelKind k = second_level_kind(desc); k != SecondLevelKind::large_page) {
    wrong_kind(desc, "large page", to_string(k), "second-level");
  }
  LargePage d;
  d.base = PhysAddr(desc & large_page::base.mask());
  d.attrs = decode_attrs(kLargePageLayout, desc);
  d.sbz = static_cast<unsigned>(large_page::sbz.get(desc));
  return d;
}

SmallPage decode_small_page(uint32_t desc) {
  if (const SecondLevelKind k = second_level_kind(desc); k != SecondLevelKind::small_page) {
    wrong_kind(desc, "small page", to_string(k), "second-level");
  }
  SmallPage d;
  d.base = PhysAddr(desc & small_page::base.mask());
  d.attrs = decode_attrs(kSmallPageLayout, desc);
  return d;
}

uint32_t encode(const Fault& d) {
  if (first_level::type.get(d.ignored) != 0) {
    throw bad_input(
        fmt::format("fault descriptor bits {:#010x} set bits[1:0]; a fault entry has bits[1:0] == "
                    "0b00 (Arm ARM "
                    "B3.5.1)",
                    d.ignored));
  }
  return d.ignored;
}

uint32_t encode(const PageTable& d) {
  const char* f = "page table";
  uint64_t w = first_level::type.set(0, static_cast<uint32_t>(FirstLevelKind::page_table));
  w = put(w, page_table::pxn, d.pxn, f, "PXN");
  w = put(w, page_table::ns, d.ns, f, "NS");
  w = put(w, page_table::sbz, d.sbz, f, "SBZ");
  w = put(w, page_table::domain, d.domain, f, "Domain");
  w = put(w, page_table::imp, d.imp, f, "IMP");
  w = page_table::base.set(w, base_bits(d.base, page_table::base.lo, kPaBits, f));
  return static_cast<uint32_t>(w);
}

uint32_t encode(const Section& d) {
  const char* f = "section";
  uint64_t w = static_cast<uint32_t>(FirstLevelKind::section);
  w = put(w, section::pxn, d.pxn, f, "PXN");
  w = encode_attrs(kSectionLayout, w, d.attrs, f);
  w = put(w, section::domain, d.domain, f, "Domain");
  w = put(w, section::imp, d.imp, f, "IMP");
  w = put(w, section::ns, d.ns, f, "NS");
  w = section::base.set(w, base_bits(d.base, kSectionShift, kPaBits, f));
  return static_cast<uint32_t>(w);
}

uint32_t encode(const Supersection& d) {
  const char* f = "supersection";
  uint64_t w = static_cast<uint32_t>(FirstLevelKind::supersection);
  w = put(w, supersection::pxn, d.pxn, f, "PXN");
  w = encode_attrs(kSupersectionLayout, w, d.attrs, f);
  w = put(w, supersection::imp, d.imp, f, "IMP");
  w = put(w, supersection::ns, d.ns, f, "NS");
  const uint64_t pa = base_bits(d.base, kSupersectionShift, kSupersectionPaBits, f)
                      << kSupersectionShift;
  w = supersection::base.set(w, supersection::pa_base.get(pa));
  w = supersection::base_35_32.set(w, supersection::pa_35_32.get(pa));
  w = supersection::base_39_36.set(w, supersection::pa_39_36.get(pa));
  return static_cast<uint32_t>(w);
}

uint32_t encode(const LargePage& d) {
  const char* f = "large page";
  uint64_t w = static_cast<uint32_t>(SecondLevelKind::large_page);
  w = encode_attrs(kLargePageLayout, w, d.attrs, f);
  w = put(w, large_page::sbz, d.sbz, f, "SBZ");
  w = large_page::base.set(w, base_bits(d.base, kLargePageShift, kPaBits, f));
  return static_cast<uint32_t>(w);
}

uint32_t encode(const SmallPage& d) {
  const char* f = "small page";
  uint64_t w = static_cast<uint32_t>(SecondLevelKind::small_page);
  w = encode_attrs(kSmallPageLayout, w, d.attrs, f);
  w = small_page::base.set(w, base_bits(d.base, kSmallPageShift, kPaBits, f));
  return static_cast<uint32_t>(w);
}

uint32_t encode(const FirstLevelDescriptor& d) {
  return std::visit([](const auto& x) { return encode(x); }, d);
}

uint32_t encode(const SecondLevelDescriptor& d) {
  return std::visit([](const auto& x) { return encode(x); }, d);
}

DomainAccess domain_access(uint32_t dacr_value, unsigned domain) {
  if (domain >= kDomains) {
    throw bad_input(
        fmt::format("domain {} does not exist: the short-descriptor format has domains 0-15 "
                    "(Arm ARM B3.7.3)",
                    domain));
  }
  return static_cast<DomainAccess>(dacr::d(domain).get(dacr_value));
}

}  // namespace ptsim::hw::arm::short_descriptor
