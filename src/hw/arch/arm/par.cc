#include "ptsim/hw/arch/arm/par.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace ptsim::hw::arm {

unsigned short_fault_status(FaultKind kind, unsigned level) {
  const bool l2 = level == 2;
  switch (kind) {
    case FaultKind::translation:
      return l2 ? 0b00111 : 0b00101;
    case FaultKind::access_flag:
      return l2 ? 0b00110 : 0b00011;
    case FaultKind::domain:
      return l2 ? 0b01011 : 0b01001;
    case FaultKind::permission:
      return l2 ? 0b01111 : 0b01101;
    case FaultKind::external_abort:
      return l2 ? 0b01110 : 0b01100;
    case FaultKind::address_size:  // the short format has none
    case FaultKind::none:
      break;
  }
  return 0;
}

unsigned long_fault_status(FaultKind kind, unsigned level) {
  const unsigned ll = level & 0b11;
  switch (kind) {
    case FaultKind::address_size:
      return 0b000000 | ll;
    case FaultKind::translation:
      return 0b000100 | ll;
    case FaultKind::access_flag:
      return 0b001000 | ll;
    case FaultKind::permission:
      return 0b001100 | ll;
    case FaultKind::external_abort:
      return 0b010100 | ll;
    case FaultKind::domain:  // the long format has no domains
    case FaultKind::none:
      break;
  }
  return 0;
}

namespace {

constexpr unsigned kInnerStronglyOrdered = 0b001;
constexpr unsigned kInnerDevice = 0b011;
// Normal memory's Inner field: 0b000 NC, else 0b1 followed by the NMRR-style
// encoding of WB-WA (01), WT (10) and WB (11).
constexpr unsigned kInnerCacheable = 0b100;

}  // namespace

unsigned par_inner(const MemoryAttributes& m) {
  switch (m.type) {
    case MemoryType::strongly_ordered:
      return kInnerStronglyOrdered;
    case MemoryType::device:
      return kInnerDevice;
    case MemoryType::normal:
      return m.inner == CacheAttribute::non_cacheable
                 ? 0
                 : kInnerCacheable | static_cast<unsigned>(m.inner);
    default:
      return 0;
  }
}

unsigned par_outer(const MemoryAttributes& m) {
  return m.type == MemoryType::normal ? static_cast<unsigned>(m.outer) : 0;
}

namespace {

uint64_t short_par(const Translation& t) {
  if (!t.ok()) {
    const unsigned fs = short_fault_status(t.fault, t.level);
    uint64_t v = par::f.set(0, 1);
    v = par::fs_3_0.set(v, fs & 0xf);
    return par::fs_4.set(v, fs >> 4);
  }
  MemoryAttributes m = t.memattrs;
  if (t.mmu_off) {
    m = MemoryAttributes{};  // Strongly-ordered, shareable
  }
  uint64_t v = 0;
  if (t.supersection) {
    v = par::ss.set(v, 1);
    v = par::ss_pa_31_24.set(v, (t.pa.value() >> 24) & 0xff);
    v = par::ss_pa_39_32.set(v, t.pa.value() >> 32);
  } else {
    v = par::pa.set(v, t.pa.value() >> 12);
  }
  v = par::outer.set(v, par_outer(m));
  v = par::inner.set(v, par_inner(m));
  v = par::sh.set(v, m.shareability != Shareability::non_shareable);
  v = par::ns.set(v, t.ns);
  return par::nos.set(v, m.shareability == Shareability::inner_shareable);
}

// PAR.SH reports Device, Strongly-ordered and Normal Non-cacheable memory
// as Outer Shareable (DDI 0487 G8.2.112, as for PAR_EL1).
unsigned reported_shareability(const MemoryAttributes& m) {
  if (m.type != MemoryType::normal ||
      (m.inner == CacheAttribute::non_cacheable && m.outer == CacheAttribute::non_cacheable)) {
    return static_cast<unsigned>(Shareability::outer_shareable);
  }
  return static_cast<unsigned>(m.shareability);
}

uint64_t long_par(const Translation& t) {
  uint64_t v = par::lpae.set(0, 1);
  if (!t.ok()) {
    v = par::f.set(v, 1);
    return par::fst.set(v, long_fault_status(t.fault, t.level));
  }
  const MemoryAttributes m = t.mmu_off ? MemoryAttributes{} : t.memattrs;
  v = par::sh64.set(v, reported_shareability(m));
  v = par::ns.set(v, t.ns);
  v = par::pa64.set(v, t.pa.value() >> 12);
  return par::attr.set(v, t.mmu_off ? 0 : t.mair_attr);
}

constexpr std::array<std::pair<AtsOp, const char*>, 4> kAtsNames = {{
    {AtsOp::ats1cpr, "ATS1CPR"},
    {AtsOp::ats1cpw, "ATS1CPW"},
    {AtsOp::ats1cur, "ATS1CUR"},
    {AtsOp::ats1cuw, "ATS1CUW"},
}};

}  // namespace

uint64_t par_for(const Translation& t) {
  return t.lpae ? long_par(t) : short_par(t);
}

std::string ats_op_name(AtsOp op) {
  for (const auto& [o, name] : kAtsNames) {
    if (o == op) {
      return name;
    }
  }
  return "?";
}

std::optional<AtsOp> parse_ats_op(std::string_view text) {
  std::string upper(text);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return std::toupper(c); });
  for (const auto& [o, name] : kAtsNames) {
    if (upper == name) {
      return o;
    }
  }
  return std::nullopt;
}

Access ats_access(AtsOp op) {
  const bool pl0 = op == AtsOp::ats1cur || op == AtsOp::ats1cuw;
  const bool write = op == AtsOp::ats1cpw || op == AtsOp::ats1cuw;
  return {pl0, write ? AccessType::write : AccessType::read};
}

std::optional<AtsOp> ats_op_for(Access access) {
  switch (access.type) {
    case AccessType::read:
      return access.el0 ? AtsOp::ats1cur : AtsOp::ats1cpr;
    case AccessType::write:
      return access.el0 ? AtsOp::ats1cuw : AtsOp::ats1cpw;
    case AccessType::execute:
      break;
  }
  return std::nullopt;
}

uint64_t ats1c(const PhysMem& mem, const Regime& regime, AtsOp op, uint32_t va) {
  return par_for(translate(mem, regime, va, ats_access(op)));
}

uint64_t ats1c(const PhysMem& mem, const Registers& regs, AtsOp op, uint32_t va) {
  return ats1c(mem, Regime::from_registers(regs), op, va);
}

namespace {

constexpr const char* kFaultNames[] = {
    "none",       "translation",  "access flag",           "domain",
    "permission", "address size", "external abort on walk"};

std::string fault_words(FaultKind kind, unsigned level) {
  return fmt::format("{}, level {}", kFaultNames[static_cast<unsigned>(kind)], level);
}

// The fault kind and level a status encodes, by search over the encoders.
template <class Encoder>
std::string decode_status(unsigned status, Encoder encode) {
  for (unsigned k = 1; k < std::size(kFaultNames); ++k) {
    for (unsigned level = 0; level <= 3; ++level) {
      if (encode(static_cast<FaultKind>(k), level) == status && status != 0) {
        return fault_words(static_cast<FaultKind>(k), level);
      }
    }
  }
  return status == 0 ? fault_words(FaultKind::address_size, 0) : "?";
}

}  // namespace

std::string describe_par(uint64_t v, bool lpae) {
  if (lpae) {
    if (par::f.get(v) != 0) {
      const auto fst = static_cast<unsigned>(par::fst.get(v));
      return fmt::format("fault FST {:#08b} ({})", fst, decode_status(fst, long_fault_status));
    }
    return fmt::format("PA {:#x} ATTR {:#04x} SH {}{}", par::pa64.get(v) << 12, par::attr.get(v),
                       par::sh64.get(v), par::ns.get(v) != 0 ? " NS" : "");
  }
  if (par::f.get(v) != 0) {
    const auto fs = static_cast<unsigned>(par::fs_3_0.get(v) | par::fs_4.get(v) << 4);
    return fmt::format("fault FS {:#07b} ({})", fs,
                       fs == 0 ? "?" : decode_status(fs, [](FaultKind k, unsigned level) {
                         return level == 1 || level == 2 ? short_fault_status(k, level) : 0u;
                       }));
  }
  const uint64_t pa = par::ss.get(v) != 0
                          ? (par::ss_pa_31_24.get(v) << 24) | (par::ss_pa_39_32.get(v) << 32)
                          : par::pa.get(v) << 12;
  return fmt::format("PA {:#x}{} Inner {:#05b} Outer {:#04b}{}{}{}", pa,
                     par::ss.get(v) != 0 ? " (supersection)" : "", par::inner.get(v),
                     par::outer.get(v), par::sh.get(v) != 0 ? " SH" : "",
                     par::nos.get(v) != 0 ? " NOS" : "", par::ns.get(v) != 0 ? " NS" : "");
}

}  // namespace ptsim::hw::arm
