#include "ptsim/hw/arch/arm/long_descriptor.h"

#include <fmt/format.h>

#include "checked_field.h"
#include "ptsim/error.h"

namespace ptsim::hw::arm::long_descriptor {
namespace {

constexpr uint64_t kTableIgnoredMask = table::ignored_low.mask() | table::ignored_high.mask();

void check_level(unsigned level, unsigned lowest, unsigned highest, const char* what) {
  if (level < lowest || level > highest) {
    throw bad_input(fmt::format(
        "a long-descriptor {} cannot be at level {}: it exists at levels {}-{} (Arm ARM B3.6.1)",
        what, level, lowest, highest));
  }
}

bool is_page_level(unsigned level) {
  return level == kLastLevel;
}

// What a word is at a level, for messages.
const char* kind_name(uint64_t desc, unsigned level) {
  switch (static_cast<DescriptorType>(descriptor::type.get(desc))) {
    case DescriptorType::block:
      return is_page_level(level) ? "reserved (invalid) entry" : "block";
    case DescriptorType::table:
      return is_page_level(level) ? "page" : "table";
    default:
      return "invalid entry";
  }
}

[[noreturn]] void wrong_kind(uint64_t desc, unsigned level, const char* wanted) {
  throw bad_input(fmt::format("{:#018x} is a level {} {}, not a {} (Arm ARM B3.6.1)", desc, level,
                              kind_name(desc, level), wanted));
}

void expect_type(uint64_t desc, unsigned level, DescriptorType type, const char* wanted) {
  if (static_cast<DescriptorType>(descriptor::type.get(desc)) != type) {
    wrong_kind(desc, level, wanted);
  }
}

uint64_t put(uint64_t word, BitField f, uint64_t value, const char* what, const char* name) {
  return put_checked(word, f, value, what, name, "B3.6.1");
}

// Bits carried through unchanged must stay inside their mask.
uint64_t put_in_place(uint64_t word, uint64_t bits, uint64_t mask, const char* what,
                      const char* name) {
  if ((bits & ~mask) != 0) {
    throw bad_input(fmt::format("{} {} bits {:#x} fall outside {:#x} (Arm ARM B3.6.1)", what, name,
                                bits, mask));
  }
  return word | bits;
}

uint64_t address_bits(PhysAddr pa, unsigned shift, const char* what) {
  if (!pa.is_aligned(uint64_t{1} << shift)) {
    throw bad_input(fmt::format("{} address {:x} is not aligned to {:#x} (Arm ARM B3.6.1)", what,
                                pa, uint64_t{1} << shift));
  }
  if ((pa.value() >> kOutputAddressBits) != 0) {
    throw bad_input(fmt::format(
        "{} address {:x} does not fit the {}-bit output address of the long-descriptor format "
        "(Arm ARM B3.6.1)",
        what, pa, kOutputAddressBits));
  }
  return pa.value();
}

LeafAttributes decode_attrs(uint64_t desc) {
  LeafAttributes a;
  a.attr_indx = static_cast<unsigned>(leaf::attr_indx.get(desc));
  a.ns = leaf::ns.get(desc) != 0;
  a.ap = static_cast<AccessPermission>(leaf::ap.get(desc));
  a.sh = static_cast<Shareability>(leaf::sh.get(desc));
  a.af = leaf::af.get(desc) != 0;
  a.ng = leaf::ng.get(desc) != 0;
  a.contiguous = leaf::contiguous.get(desc) != 0;
  a.pxn = leaf::pxn.get(desc) != 0;
  a.xn = leaf::xn.get(desc) != 0;
  a.software = static_cast<unsigned>(leaf::software.get(desc));
  a.ignored = static_cast<unsigned>(leaf::ignored.get(desc));
  return a;
}

uint64_t encode_attrs(uint64_t w, const LeafAttributes& a, const char* what) {
  w = put(w, leaf::attr_indx, a.attr_indx, what, "AttrIndx");
  w = put(w, leaf::ns, a.ns, what, "NS");
  w = put(w, leaf::ap, static_cast<uint64_t>(a.ap), what, "AP[2:1]");
  w = put(w, leaf::sh, static_cast<uint64_t>(a.sh), what, "SH");
  w = put(w, leaf::af, a.af, what, "AF");
  w = put(w, leaf::ng, a.ng, what, "nG");
  w = put(w, leaf::contiguous, a.contiguous, what, "Contiguous");
  w = put(w, leaf::pxn, a.pxn, what, "PXN");
  w = put(w, leaf::xn, a.xn, what, "XN");
  w = put(w, leaf::software, a.software, what, "software bits");
  return put(w, leaf::ignored, a.ignored, what, "IGNORED bits");
}

uint64_t encode_leaf(unsigned level, DescriptorType type, PhysAddr oa, const LeafAttributes& a,
                     uint64_t sbzp, const char* what) {
  uint64_t w = static_cast<uint64_t>(type);
  w = encode_attrs(w, a, what);
  w |= address_bits(oa, level_shift(level), what);
  return put_in_place(w, sbzp, leaf::sbzp_mask(level), what, "SBZP");
}

}  // namespace

Descriptor decode(uint64_t desc, unsigned level) {
  check_level(level, kFirstLevel, kLastLevel, "descriptor");
  const auto type = static_cast<DescriptorType>(descriptor::type.get(desc));
  if (type == DescriptorType::table) {
    if (is_page_level(level)) {
      return decode_page(desc);
    }
    return decode_table(desc, level);
  }
  if (type == DescriptorType::block && !is_page_level(level)) {
    return decode_block(desc, level);
  }
  return Invalid{level, desc};
}

Table decode_table(uint64_t desc, unsigned level) {
  check_level(level, kFirstLevel, kLastLevel - 1, "table descriptor");
  expect_type(desc, level, DescriptorType::table, "table");
  Table d;
  d.level = level;
  d.next_table = PhysAddr(desc & table::address.mask());
  d.pxn_table = table::pxn_table.get(desc) != 0;
  d.xn_table = table::xn_table.get(desc) != 0;
  d.ap_table = static_cast<ApTable>(table::ap_table.get(desc));
  d.ns_table = table::ns_table.get(desc) != 0;
  d.ignored = desc & kTableIgnoredMask;
  d.sbzp = desc & table::sbzp.mask();
  return d;
}

Block decode_block(uint64_t desc, unsigned level) {
  check_level(level, kFirstLevel, kLastLevel - 1, "block descriptor");
  expect_type(desc, level, DescriptorType::block, "block");
  Block d;
  d.level = level;
  d.output_address = PhysAddr(desc & leaf::output_address(level).mask());
  d.attrs = decode_attrs(desc);
  d.sbzp = desc & leaf::sbzp_mask(level);
  return d;
}

Page decode_page(uint64_t desc) {
  expect_type(desc, kLastLevel, DescriptorType::table, "page");
  Page d;
  d.output_address = PhysAddr(desc & leaf::output_address(kLastLevel).mask());
  d.attrs = decode_attrs(desc);
  d.sbzp = desc & leaf::sbzp_mask(kLastLevel);
  return d;
}

uint64_t encode(const Invalid& d) {
  check_level(d.level, kFirstLevel, kLastLevel, "descriptor");
  if (!std::holds_alternative<Invalid>(decode(d.raw, d.level))) {
    wrong_kind(d.raw, d.level, "invalid entry");
  }
  return d.raw;
}

uint64_t encode(const Table& d) {
  check_level(d.level, kFirstLevel, kLastLevel - 1, "table descriptor");
  const char* what = "table descriptor";
  uint64_t w = static_cast<uint64_t>(DescriptorType::table);
  w |= address_bits(d.next_table, kPageShift, "next-level table");
  w = put(w, table::pxn_table, d.pxn_table, what, "PXNTable");
  w = put(w, table::xn_table, d.xn_table, what, "XNTable");
  w = put(w, table::ap_table, static_cast<uint64_t>(d.ap_table), what, "APTable");
  w = put(w, table::ns_table, d.ns_table, what, "NSTable");
  w = put_in_place(w, d.ignored, kTableIgnoredMask, what, "IGNORED");
  return put_in_place(w, d.sbzp, table::sbzp.mask(), what, "SBZP");
}

uint64_t encode(const Block& d) {
  check_level(d.level, kFirstLevel, kLastLevel - 1, "block descriptor");
  return encode_leaf(d.level, DescriptorType::block, d.output_address, d.attrs, d.sbzp,
                     d.level == 1 ? "level 1 block" : "level 2 block");
}

uint64_t encode(const Page& d) {
  return encode_leaf(kLastLevel, DescriptorType::table, d.output_address, d.attrs, d.sbzp, "page");
}

MemoryAttributes memory_attributes(const LeafAttributes& attrs, uint32_t mair0, uint32_t mair1) {
  return memory_attributes_from_mair(mair_attr(mair0, mair1, attrs.attr_indx), attrs.sh);
}

uint64_t encode(const Descriptor& d) {
  return std::visit([](const auto& x) { return encode(x); }, d);
}

}  // namespace ptsim::hw::arm::long_descriptor
