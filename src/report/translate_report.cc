#include "ptsim/report/translate_report.h"

#include <fmt/format.h>

#include "ptsim/hw/arch/arm/long_descriptor.h"
#include "ptsim/report/format.h"

namespace ptsim::report {

using hw::arm64::Access;
using hw::arm64::AccessType;
using hw::arm64::AtOp;

std::optional<AtOp> at_op_for(Access access, bool pan) {
  switch (access.type) {
    case AccessType::read:
      return access.el0 ? AtOp::s1e0r : (pan ? AtOp::s1e1rp : AtOp::s1e1r);
    case AccessType::write:
      return access.el0 ? AtOp::s1e0w : (pan ? AtOp::s1e1wp : AtOp::s1e1w);
    case AccessType::execute:
      return std::nullopt;
  }
  return std::nullopt;
}

TranslateQuery run_translate_query(hw::PhysMem& mem, const hw::arm64::Regime& regime, uint64_t va,
                                   Access access) {
  TranslateQuery q;
  q.va = va;
  q.access = access;
  if (const auto op = at_op_for(access, regime.pan())) {
    q.par = hw::arm64::at(mem, regime, *op, va);
  }
  q.result = hw::arm64::translate(mem, regime, va, access);
  return q;
}

namespace {

std::string rwx(bool r, bool w, bool x) {
  return fmt::format("{}{}{}", r ? 'r' : '-', w ? 'w' : '-', x ? 'x' : '-');
}

// "rw-", "r-x": what EL1 (PL1) and EL0 (PL0) may do, in both architectures.
std::string perms_el1(const hw::arm64::Permissions& p) {
  return rwx(p.el1_read, p.el1_write, p.el1_exec);
}
std::string perms_el0(const hw::arm64::Permissions& p) {
  return rwx(p.el0_read, p.el0_write, p.el0_exec);
}

std::string hex(uint64_t v) {
  return fmt::format("{:#x}", v);
}

// One descriptor read, its value in `digits` hex digits.
// The members every translate line starts with (schema ptsim.translate/1):
// where the address went, or the fault and its level.
nlohmann::ordered_json query_json(uint64_t va, const std::string& access, bool ok, uint64_t pa,
                                  int level, uint64_t size, const std::string& fault) {
  nlohmann::ordered_json j;
  j["schema"] = "ptsim.translate/1";
  j["va"] = hex(va);
  j["access"] = access;
  j["ok"] = ok;
  if (ok) {
    j["pa"] = hex(pa);
    j["level"] = level;
    j["size"] = size;
  } else {
    j["fault"] = fault;
    j["level"] = level;
  }
  return j;
}

nlohmann::ordered_json step_json(int level, uint64_t addr, uint64_t desc, int digits) {
  nlohmann::ordered_json step;
  step["level"] = level;
  step["addr"] = hex(addr);
  step["desc"] = fmt::format("{:#0{}x}", desc, digits + 2);
  return step;
}

nlohmann::ordered_json attrs_json(const hw::arm64::Translation& t) {
  const hw::arm64::LeafAttributes& a = t.leaf;
  nlohmann::ordered_json j;
  j["attr_indx"] = a.attr_indx;
  j["mair"] = fmt::format("{:#04x}", t.mair_attr);
  j["memtype"] = hw::arm64::mair_attr_name(t.mair_attr);
  j["sh"] = t.sh;
  j["ap"] = a.ap;
  j["af"] = a.af;
  j["ng"] = a.ng;
  j["dbm"] = a.dbm;
  j["cont"] = a.contiguous;
  j["pxn"] = a.pxn;
  j["uxn"] = a.uxn;
  j["el1"] = perms_el1(t.perms);
  j["el0"] = perms_el0(t.perms);
  if (t.af_updated) {
    j["af_set"] = true;
  }
  if (t.dirty_updated) {
    j["dirty_set"] = true;
  }
  return j;
}

}  // namespace

nlohmann::ordered_json translate_json(const TranslateQuery& q) {
  const hw::arm64::Translation& t = q.result;
  nlohmann::ordered_json j =
      query_json(q.va, hw::arm64::access_name(q.access), t.ok(), t.pa.value(), t.level, t.size,
                 hw::arm64::fault_kind_name(t.fault));
  if (t.ok()) {
    j["attrs"] = attrs_json(t);
  }
  if (q.par) {
    j["par"] = fmt::format("{:#018x}", *q.par);
  }
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  for (unsigned i = 0; i < t.walk.step_count; ++i) {
    const hw::arm64::WalkStep& s = t.walk.steps[i];
    steps.push_back(step_json(s.level, s.entry_addr.value(), s.raw, 16));
  }
  j["walk"] = steps;
  return j;
}

std::string translate_text(const hw::arm64::Regime& regime, const TranslateQuery& q) {
  const hw::arm64::Translation& t = q.result;
  const hw::arm64::VaRange& range = regime.range(hw::arm64::Regime::selects_upper(q.va));
  std::string out =
      fmt::format("VA {:#018x} {} ({}, {} granule, {}-bit range, ASID {})\n", q.va,
                  hw::arm64::access_name(q.access), range.upper ? "TTBR1_EL1" : "TTBR0_EL1",
                  hw::arm64::granule_name(range.granule), range.ia_bits, regime.asid());
  for (unsigned i = 0; i < t.walk.step_count; ++i) {
    const hw::arm64::WalkStep& s = t.walk.steps[i];
    out +=
        fmt::format("  L{:<2} [{:4}] {:#014x}: {:#018x}  {}\n", s.level, s.index,
                    s.entry_addr.value(), s.raw, hw::arm64::describe(range.format, s.level, s.raw));
  }
  if (t.ok()) {
    out += fmt::format("  => PA {:#x}  {} {} at level {}, {} SH={} EL1 {} EL0 {}{}{}\n",
                       t.pa.value(), human_size(t.size), t.level == 3 ? "page" : "block", t.level,
                       hw::arm64::mair_attr_name(t.mair_attr), t.sh, perms_el1(t.perms),
                       perms_el0(t.perms), t.af_updated ? ", AF set by the MMU" : "",
                       t.dirty_updated ? ", marked dirty by the MMU" : "");
  } else {
    out += fmt::format("  => {} fault at level {}\n", hw::arm64::fault_kind_name(t.fault), t.level);
  }
  if (q.par) {
    out += fmt::format("  PAR_EL1 {:#018x}  {}\n", *q.par, hw::arm64::describe_par(*q.par));
  }
  return out;
}

// --- ARMv7 ---

namespace {

namespace sd = hw::arm::short_descriptor;
namespace ld = hw::arm::long_descriptor;
using hw::arm::CacheAttribute;
using hw::arm::MemoryType;
using hw::arm::Shareability;

const char* cache_name(CacheAttribute c) {
  static constexpr const char* kNames[] = {"NC", "WB-WA", "WT", "WB"};
  return kNames[static_cast<unsigned>(c)];
}

const char* domain_access_name(sd::DomainAccess d) {
  static constexpr const char* kNames[] = {"no_access", "client", "reserved", "manager"};
  return kNames[static_cast<unsigned>(d)];
}

// The leaf's attributes as the short-descriptor format holds them.
struct ShortLeaf {
  sd::RegionAttributes attrs;
  bool pxn = false;
};

ShortLeaf short_leaf(const hw::arm::Translation& t) {
  const auto desc = static_cast<uint32_t>(t.descriptor);
  if (t.level == 1) {
    const sd::FirstLevelDescriptor d = sd::decode_first_level(desc);
    if (const auto* s = std::get_if<sd::Section>(&d)) {
      return {s->attrs, s->pxn};
    }
    const auto& ss = std::get<sd::Supersection>(d);
    return {ss.attrs, ss.pxn};
  }
  const bool table_pxn = sd::decode_page_table(static_cast<uint32_t>(t.steps[0].raw)).pxn;
  const sd::SecondLevelDescriptor d = sd::decode_second_level(desc);
  if (const auto* lp = std::get_if<sd::LargePage>(&d)) {
    return {lp->attrs, table_pxn};
  }
  return {std::get<sd::SmallPage>(d).attrs, table_pxn};
}

nlohmann::ordered_json arm_attrs_json(const ArmTranslateQuery& q) {
  const hw::arm::Translation& t = q.result;
  nlohmann::ordered_json j;
  j["memtype"] = arm_memory_attributes_name(t.memattrs);
  if (t.lpae) {
    const ld::Descriptor d = ld::decode(t.descriptor, t.level);
    const ld::LeafAttributes& a = std::holds_alternative<ld::Block>(d)
                                      ? std::get<ld::Block>(d).attrs
                                      : std::get<ld::Page>(d).attrs;
    j["attr_indx"] = a.attr_indx;
    j["mair"] = fmt::format("{:#04x}", t.mair_attr);
    j["sh"] = static_cast<unsigned>(a.sh);
    j["ap"] = static_cast<unsigned>(a.ap);
    j["af"] = a.af;
    j["ng"] = a.ng;
    j["cont"] = a.contiguous;
    j["pxn"] = a.pxn;
    j["xn"] = a.xn;
    j["ap_table"] = t.ap_table;
    j["pxn_table"] = t.pxn_table;
    j["xn_table"] = t.xn_table;
  } else {
    const ShortLeaf leaf = short_leaf(t);
    j["domain"] = t.domain;
    j["domain_access"] = domain_access_name(q.domain_access);
    j["tex"] = leaf.attrs.tex;
    j["c"] = leaf.attrs.c;
    j["b"] = leaf.attrs.b;
    j["s"] = leaf.attrs.s;
    j["ap"] = leaf.attrs.ap_2_0();
    j["ng"] = leaf.attrs.ng;
    j["pxn"] = leaf.pxn;
    j["xn"] = leaf.attrs.xn;
  }
  j["el1"] = perms_el1(t.perms);
  j["el0"] = perms_el0(t.perms);
  return j;
}

}  // namespace

std::string arm_leaf_kind(const hw::arm::Translation& t) {
  if (t.mmu_off) {
    return "flat (MMU off)";
  }
  if (t.lpae) {
    return t.level == ld::kLastLevel ? "page" : "block";
  }
  if (t.level == 1) {
    return t.supersection ? "supersection" : "section";
  }
  return t.size == sd::kLargePageSize ? "large page" : "small page";
}

std::string arm_describe_step(bool lpae, const hw::arm::WalkStep& s) {
  if (lpae) {
    const ld::Descriptor d = ld::decode(s.raw, s.level);
    static constexpr const char* kKinds[] = {"invalid", "table", "block", "page"};
    return kKinds[d.index()];
  }
  const auto v = static_cast<uint32_t>(s.raw);
  return s.level == 1 ? sd::to_string(sd::first_level_kind(v))
                      : sd::to_string(sd::second_level_kind(v));
}

std::string arm_memory_attributes_name(const hw::arm::MemoryAttributes& m) {
  switch (m.type) {
    case MemoryType::strongly_ordered:
      return "Strongly-ordered";
    case MemoryType::device:
      return "Device";
    case MemoryType::implementation_defined:
      return "IMPLEMENTATION DEFINED";
    case MemoryType::reserved:
      return "reserved";
    case MemoryType::normal:
      break;
  }
  std::string name = m.inner == m.outer ? fmt::format("Normal {}", cache_name(m.inner))
                                        : fmt::format("Normal o:{} i:{}", cache_name(m.outer),
                                                      cache_name(m.inner));
  if (m.shareability == Shareability::outer_shareable) {
    name += " OSH";
  } else if (m.shareability == Shareability::inner_shareable) {
    name += " ISH";
  }
  return name;
}

ArmTranslateQuery run_translate_query(const hw::PhysMem& mem, const hw::arm::Regime& regime,
                                      uint32_t va, hw::arm::Access access) {
  ArmTranslateQuery q;
  q.va = va;
  q.access = access;
  q.result = hw::arm::translate(mem, regime, va, access);
  if (!regime.lpae()) {
    q.domain_access = regime.domain(q.result.domain);
  }
  if (const auto op = hw::arm::ats_op_for(access)) {
    q.par = hw::arm::ats1c(mem, regime, *op, va);
  }
  return q;
}

nlohmann::ordered_json translate_json(const ArmTranslateQuery& q) {
  const hw::arm::Translation& t = q.result;
  nlohmann::ordered_json j =
      query_json(q.va, hw::arm::access_name(q.access), t.ok(), t.pa.value(),
                 static_cast<int>(t.level), t.size, hw::arm::fault_kind_name(t.fault));
  if (t.ok() && !t.mmu_off) {
    j["attrs"] = arm_attrs_json(q);
  }
  if (q.par) {
    j["par"] = t.lpae ? fmt::format("{:#018x}", *q.par) : fmt::format("{:#010x}", *q.par);
  }
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  for (unsigned i = 0; i < t.step_count; ++i) {
    const hw::arm::WalkStep& s = t.steps[i];
    steps.push_back(step_json(static_cast<int>(s.level), s.addr.value(), s.raw, t.lpae ? 16 : 8));
  }
  j["walk"] = steps;
  return j;
}

std::string arm_translation_result(const ArmTranslateQuery& q) {
  const hw::arm::Translation& t = q.result;
  if (!t.ok()) {
    return fmt::format("{} fault at level {}", hw::arm::fault_kind_name(t.fault), t.level);
  }
  const std::string domain = t.lpae || t.mmu_off ? ""
                                                 : fmt::format(", domain {} {}", t.domain,
                                                               domain_access_name(q.domain_access));
  return fmt::format("PA {:#x}  {} {} at level {}{}, {} EL1 {} EL0 {}", t.pa.value(),
                     human_size(t.size), arm_leaf_kind(t), t.level, domain,
                     arm_memory_attributes_name(t.memattrs), perms_el1(t.perms),
                     perms_el0(t.perms));
}

std::string translate_text(const hw::arm::Regime& regime, const ArmTranslateQuery& q) {
  const hw::arm::Translation& t = q.result;
  const std::string format =
      regime.lpae() ? fmt::format("LPAE, {}-bit range, start level {}",
                                  regime.range(t.upper).ia_bits, regime.range(t.upper).start_level)
                    : fmt::format("short-descriptor, TTBCR.N={}", regime.ttbcr_n());
  std::string out =
      fmt::format("VA {:#010x} {} ({}, {}, ASID {})\n", q.va, hw::arm::access_name(q.access),
                  t.upper ? "TTBR1" : "TTBR0", format, regime.asid());
  for (unsigned i = 0; i < t.step_count; ++i) {
    const hw::arm::WalkStep& s = t.steps[i];
    out += fmt::format("  L{} {:#0{}x}: {:#0{}x}  {}\n", s.level, s.addr.value(), t.lpae ? 12 : 10,
                       s.raw, t.lpae ? 18 : 10, arm_describe_step(t.lpae, s));
  }
  out += "  => " + arm_translation_result(q) + "\n";
  if (q.par) {
    out += fmt::format("  PAR {:#0{}x}  {}\n", *q.par, t.lpae ? 18 : 10,
                       hw::arm::describe_par(*q.par, t.lpae));
  }
  return out;
}

}  // namespace ptsim::report
