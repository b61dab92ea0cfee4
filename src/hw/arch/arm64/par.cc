#include "ptsim/hw/arch/arm64/par.h"

#include <fmt/format.h>

namespace ptsim::hw::arm64 {

std::string at_op_name(AtOp op) {
  switch (op) {
    case AtOp::s1e1r:
      return "S1E1R";
    case AtOp::s1e1w:
      return "S1E1W";
    case AtOp::s1e0r:
      return "S1E0R";
    case AtOp::s1e0w:
      return "S1E0W";
    case AtOp::s1e1rp:
      return "S1E1RP";
    case AtOp::s1e1wp:
      return "S1E1WP";
  }
  return "?";
}

unsigned fault_status_code(FaultKind kind, int level) {
  const unsigned ll = static_cast<unsigned>(level) & 0b11;
  const bool minus1 = level < 0;
  switch (kind) {
    case FaultKind::address_size:
      return minus1 ? 0b101001 : 0b000000 | ll;
    case FaultKind::translation:
      return minus1 ? 0b101011 : 0b000100 | ll;
    case FaultKind::access_flag:
      return 0b001000 | ll;
    case FaultKind::permission:
      return 0b001100 | ll;
    case FaultKind::external_abort:
      return minus1 ? 0b010011 : 0b010100 | ll;
    case FaultKind::none:
      break;
  }
  return 0;
}

uint64_t par_success(PhysAddr pa, uint8_t attr, unsigned sh, bool ns) {
  uint64_t v = par::kRes1.set(0, 1);
  v = par::kSH.set(v, sh);
  v = par::kNS.set(v, ns);
  v = par::kPA.set(v, pa.value() >> 12);
  v = par::kATTR.set(v, attr);
  return v;
}

uint64_t par_fault(FaultKind kind, int level) {
  uint64_t v = par::kF.set(0, 1);
  v = par::kFST.set(v, fault_status_code(kind, level));
  // S and PTW report stage 2 faults, which a stage 1 regime cannot have.
  return par::kRes1.set(v, 1);
}

uint64_t par_for(const Translation& t) {
  if (!t.ok()) {
    return par_fault(t.fault, t.level);
  }
  return par_success(t.pa, t.mair_attr, t.sh, t.ns);
}

Access at_access(AtOp op) {
  switch (op) {
    case AtOp::s1e1r:
    case AtOp::s1e1rp:
      return {false, AccessType::read};
    case AtOp::s1e1w:
    case AtOp::s1e1wp:
      return {false, AccessType::write};
    case AtOp::s1e0r:
      return {true, AccessType::read};
    case AtOp::s1e0w:
      return {true, AccessType::write};
  }
  return {};
}

bool at_honours_pan(AtOp op) {
  return op == AtOp::s1e1rp || op == AtOp::s1e1wp;
}

uint64_t at(const PhysMem& mem, const Regime& regime, AtOp op, uint64_t va) {
  if (regime.pan() && !at_honours_pan(op)) {
    Registers regs = regime.registers();
    regs.pstate_pan = false;
    Regime no_pan = Regime::from_registers(regs);
    no_pan.set_asid(regime.asid());
    return par_for(translate_no_update(mem, no_pan, va, at_access(op)));
  }
  return par_for(translate_no_update(mem, regime, va, at_access(op)));
}

std::string describe_par(uint64_t v) {
  if (par::kF.get(v) != 0) {
    const auto fst = static_cast<unsigned>(par::kFST.get(v));
    static constexpr const char* kKinds[] = {
        "address size", "translation", "access flag", "permission", "?", "external abort on walk"};
    std::string kind = "?";
    int level = static_cast<int>(fst & 0b11);
    if (fst == 0b101001 || fst == 0b101011 || fst == 0b010011) {
      kind = fst == 0b101001   ? "address size"
             : fst == 0b101011 ? "translation"
                               : "external abort on walk";
      level = -1;
    } else if ((fst >> 2) < 6) {
      kind = kKinds[fst >> 2];
    }
    return fmt::format("fault FST {:#08b} ({}, level {})", fst, kind, level);
  }
  return fmt::format("PA {:#x} ATTR {:#04x} SH {}{}", par::kPA.get(v) << 12, par::kATTR.get(v),
                     par::kSH.get(v), par::kNS.get(v) != 0 ? " NS" : "");
}

}  // namespace ptsim::hw::arm64
