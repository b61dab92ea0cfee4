#include "ptsim/report/translate_report.h"

#include <fmt/format.h>

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

std::string hex(uint64_t v) {
  return fmt::format("{:#x}", v);
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
  j["el1"] = rwx(t.perms.el1_read, t.perms.el1_write, t.perms.el1_exec);
  j["el0"] = rwx(t.perms.el0_read, t.perms.el0_write, t.perms.el0_exec);
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
  nlohmann::ordered_json j;
  j["schema"] = "ptsim.translate/1";
  j["va"] = hex(q.va);
  j["access"] = hw::arm64::access_name(q.access);
  j["ok"] = t.ok();
  if (t.ok()) {
    j["pa"] = hex(t.pa.value());
    j["level"] = t.level;
    j["size"] = t.size;
    j["attrs"] = attrs_json(t);
  } else {
    j["fault"] = hw::arm64::fault_kind_name(t.fault);
    j["level"] = t.level;
  }
  if (q.par) {
    j["par"] = fmt::format("{:#018x}", *q.par);
  }
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  for (unsigned i = 0; i < t.walk.step_count; ++i) {
    const hw::arm64::WalkStep& s = t.walk.steps[i];
    nlohmann::ordered_json step;
    step["level"] = s.level;
    step["addr"] = hex(s.entry_addr.value());
    step["desc"] = fmt::format("{:#018x}", s.raw);
    steps.push_back(step);
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
                       hw::arm64::mair_attr_name(t.mair_attr), t.sh,
                       rwx(t.perms.el1_read, t.perms.el1_write, t.perms.el1_exec),
                       rwx(t.perms.el0_read, t.perms.el0_write, t.perms.el0_exec),
                       t.af_updated ? ", AF set by the MMU" : "",
                       t.dirty_updated ? ", marked dirty by the MMU" : "");
  } else {
    out += fmt::format("  => {} fault at level {}\n", hw::arm64::fault_kind_name(t.fault), t.level);
  }
  if (q.par) {
    out += fmt::format("  PAR_EL1 {:#018x}  {}\n", *q.par, hw::arm64::describe_par(*q.par));
  }
  return out;
}

}  // namespace ptsim::report
