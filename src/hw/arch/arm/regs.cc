#include "ptsim/hw/arch/arm/regs.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "ptsim/error.h"
#include "ptsim/hw/arch/arm/long_descriptor.h"
#include "ptsim/hw/arch/arm/memory_attributes.h"
#include "ptsim/parse.h"

namespace ptsim::hw::arm {
namespace {

Error field_error(std::string_view reg, std::string_view field, uint64_t value,
                  std::string_view rule) {
  return bad_input(fmt::format("{}.{} = {:#x}: {}", reg, field, value, rule));
}

struct RegisterName {
  const char* name;
  bool wide;  // 64-bit (TTBR0/TTBR1 with LPAE)
};

constexpr RegisterName kNames[] = {
    {"TTBR0", true}, {"TTBR1", true}, {"TTBCR", false}, {"DACR", false},  {"SCTLR", false},
    {"PRRR", false}, {"NMRR", false}, {"MAIR0", false}, {"MAIR1", false}, {"CONTEXTIDR", false}};

}  // namespace

void Registers::set(std::string_view name, uint64_t value) {
  std::string upper(name);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return std::toupper(c); });
  const auto it = std::find_if(std::begin(kNames), std::end(kNames),
                               [&](const RegisterName& r) { return upper == r.name; });
  if (it == std::end(kNames)) {
    throw bad_input(
        fmt::format("register '{}' is not one ARMv7 translation uses (TTBR0, TTBR1, TTBCR, DACR, "
                    "SCTLR, PRRR, NMRR, MAIR0, MAIR1, CONTEXTIDR)",
                    name));
  }
  if (!it->wide && (value >> 32) != 0) {
    throw bad_input(fmt::format("{} = {:#x}: a 32-bit register", it->name, value));
  }
  const auto v32 = static_cast<uint32_t>(value);
  switch (it - std::begin(kNames)) {
    case 0:
      ttbr0 = value;
      break;
    case 1:
      ttbr1 = value;
      break;
    case 2:
      ttbcr = v32;
      break;
    case 3:
      dacr = v32;
      break;
    case 4:
      sctlr = v32;
      break;
    case 5:
      prrr = v32;
      break;
    case 6:
      nmrr = v32;
      break;
    case 7:
      mair0 = v32;
      break;
    case 8:
      mair1 = v32;
      break;
    default:
      contextidr = v32;
      break;
  }
}

void Registers::assign(std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos) {
    throw bad_input(
        fmt::format("register setting '{}' is not NAME=VALUE (e.g. TTBCR=0x80000000)", text));
  }
  set(text.substr(0, eq),
      parse_u64(text.substr(eq + 1), fmt::format("value of {}", text.substr(0, eq))));
}

namespace {

// B3.5.4: TTBR0's first-level table is 16 KiB >> N, aligned to its size;
// TTBR1's is always the full 16 KiB.  The bits below the base (the walk
// attributes IRGN, S, RGN, NOS and SBZ bits) are not part of the address.
void decode_short(const Registers& regs, unsigned n, VaRange& r0, VaRange& r1) {
  for (const auto& [name, value] :
       {std::pair{"TTBR0", regs.ttbr0}, std::pair{"TTBR1", regs.ttbr1}}) {
    if ((value >> 32) != 0) {
      throw field_error(name, "[63:32]", value >> 32,
                        "with TTBCR.EAE=0 TTBR0 and TTBR1 are 32-bit registers");
    }
  }
  r0.upper = false;
  r0.disabled = ttbcr::pd0.get(regs.ttbcr) != 0;
  r0.table_base = PhysAddr(regs.ttbr0 & genmask(31, 14 - n));
  r1.upper = true;
  r1.disabled = ttbcr::pd1.get(regs.ttbcr) != 0;
  r1.table_base = PhysAddr(regs.ttbr1 & genmask(31, 14));
}

// B3.6.4 and B4.1.154: the start level and the alignment of the start table
// follow from the input size 32 - TxSZ: level 1 for 31 or 32 bits (a table
// of 2 or 4 entries), level 2 below.  BADDR bits below the table's size are
// ignored, as QEMU does (the Arm ARM makes them UNK/SBZP).
VaRange decode_long(bool upper, const Registers& regs) {
  const char* name = upper ? "TTBR1" : "TTBR0";
  const uint64_t ttbr = upper ? regs.ttbr1 : regs.ttbr0;
  if ((ttbr & ttbr::kLongRes0) != 0) {
    throw field_error(name, "[63:56]", ttbr >> 56, "bits [63:56] are UNK/SBZP (RES0 in ARMv8)");
  }
  namespace ld = long_descriptor;
  VaRange r;
  r.upper = upper;
  r.txsz = static_cast<unsigned>((upper ? ttbcr::t1sz : ttbcr::t0sz).get(regs.ttbcr));
  r.disabled = (upper ? ttbcr::epd1 : ttbcr::epd0).get(regs.ttbcr) != 0;
  r.ia_bits = 32 - r.txsz;
  r.start_level = r.ia_bits > ld::level_shift(1) ? 1 : 2;
  const unsigned x = r.ia_bits - ld::level_shift(r.start_level) + 3;
  r.table_base = PhysAddr(ttbr & genmask(ld::kOutputAddressBits - 1, x));
  r.base_above_40 = ttbr::oa_high.get(ttbr) != 0;
  return r;
}

void check_dacr(uint32_t dacr) {
  for (unsigned d = 0; d < short_descriptor::kDomains; ++d) {
    if (short_descriptor::domain_access(dacr, d) == short_descriptor::DomainAccess::reserved) {
      throw field_error("DACR", fmt::format("D{}", d), 0b10,
                        "reserved domain access encoding (00 no access, 01 client, 11 manager; "
                        "Arm ARM B4.1.43)");
    }
  }
}

void check_prrr(uint32_t prrr_value) {
  if ((prrr_value & prrr::kRes0) != 0) {
    throw field_error("PRRR", "[23:20]", (prrr_value & prrr::kRes0) >> 20,
                      "bits [23:20] are UNK/SBZP (Arm ARM B4.1.127)");
  }
  for (unsigned n = 0; n < 8; ++n) {
    if (prrr::tr(n).get(prrr_value) == static_cast<uint64_t>(MemoryType::reserved)) {
      throw field_error("PRRR", fmt::format("TR{}", n), 0b11,
                        "reserved memory type encoding (00 Strongly-ordered, 01 Device, 10 "
                        "Normal; Arm ARM B4.1.127)");
    }
  }
}

void check_mair(const char* name, uint32_t mair, unsigned first) {
  for (unsigned i = 0; i < mair::kAttrsPerRegister; ++i) {
    const auto attr = static_cast<uint8_t>(mair::attr(i).get(mair));
    if (memory_attributes_from_mair(attr, Shareability::non_shareable).type ==
        MemoryType::reserved) {
      throw field_error(name, fmt::format("Attr{}", first + i), attr,
                        "UNPREDICTABLE memory attribute encoding (Arm ARM B4.1.104: 0x00 "
                        "Strongly-ordered, 0x04 Device, else Normal with neither half 0000)");
    }
  }
}

}  // namespace

Regime Regime::from_registers(const Registers& regs) {
  Regime g;
  g.regs_ = regs;
  const uint32_t sctlr_value = regs.sctlr;
  if (sctlr::ee.get(sctlr_value) != 0) {
    throw field_error("SCTLR", "EE", 1, "big-endian translation table walks are not modelled");
  }
  if (sctlr::ha.get(sctlr_value) != 0) {
    throw field_error("SCTLR", "HA", 1,
                      "hardware Access flag management is not modelled (an OPTIONAL ARMv7 "
                      "feature, absent from ARMv7 with LPAE and from ARMv8)");
  }
  g.mmu_ = sctlr::m.get(sctlr_value) != 0;
  g.a_ = sctlr::a.get(sctlr_value) != 0;
  g.afe_ = sctlr::afe.get(sctlr_value) != 0;
  g.tre_ = sctlr::tre.get(sctlr_value) != 0;
  g.wxn_ = sctlr::wxn.get(sctlr_value) != 0;
  g.uwxn_ = sctlr::uwxn.get(sctlr_value) != 0;
  g.lpae_ = ttbcr::eae.get(regs.ttbcr) != 0;
  if (!g.lpae_) {
    if ((regs.ttbcr & ttbcr::kShortRes0) != 0) {
      throw field_error("TTBCR", "RES0", regs.ttbcr & ttbcr::kShortRes0,
                        "with EAE=0 bits [30:6] and 3 are UNK/SBZP (Arm ARM B4.1.153)");
    }
    g.n_ = static_cast<unsigned>(ttbcr::n.get(regs.ttbcr));
    decode_short(regs, g.n_, g.ttbr0_, g.ttbr1_);
    check_dacr(regs.dacr);
    if (g.tre_) {
      check_prrr(regs.prrr);
    }
  } else {
    if ((regs.ttbcr & ttbcr::kLongRes0) != 0) {
      throw field_error("TTBCR", "RES0", regs.ttbcr & ttbcr::kLongRes0,
                        "with EAE=1 bits [21:19], [15:14] and [6:3] are UNK/SBZP (Arm ARM "
                        "B4.1.153; bit 6 is T2E in ARMv8.2, not modelled)");
    }
    g.ttbr0_ = decode_long(false, regs);
    g.ttbr1_ = decode_long(true, regs);
    check_mair("MAIR0", regs.mair0, 0);
    check_mair("MAIR1", regs.mair1, mair::kAttrsPerRegister);
  }
  if (g.lpae_) {
    const bool a1 = ttbcr::a1.get(regs.ttbcr) != 0;
    g.asid_ = static_cast<uint8_t>(ttbr::asid.get(a1 ? regs.ttbr1 : regs.ttbr0));
  } else {
    g.asid_ = static_cast<uint8_t>(contextidr::asid.get(regs.contextidr));
  }
  return g;
}

void Regime::set_asid(uint8_t asid) {
  asid_ = asid;
  if (!lpae_) {
    regs_.contextidr = static_cast<uint32_t>(contextidr::asid.set(regs_.contextidr, asid));
    return;
  }
  uint64_t& reg = ttbcr::a1.get(regs_.ttbcr) != 0 ? regs_.ttbr1 : regs_.ttbr0;
  reg = ttbr::asid.set(reg, asid);
}

void Regime::set_dacr(uint32_t dacr) {
  if (!lpae_) {
    check_dacr(dacr);
  }
  regs_.dacr = dacr;
}

bool Regime::selects_upper(uint32_t va) const {
  if (!lpae_) {
    // B3.5.4: N == 0, or VA[31:32-N] all zero, selects TTBR0.
    return n_ != 0 && (va >> (32 - n_)) != 0;
  }
  // B3.6.4, Table B3-7 (as QEMU's aa32_va_parameters reads it): with
  // T1SZ == 0 TTBR1 takes what TTBR0 does not cover; otherwise TTBR1 covers
  // the top 2^(32-T1SZ) bytes whatever T0SZ says.
  const uint32_t va_max = 0xffffffffu;
  if (ttbr1_.txsz == 0) {
    return va > (va_max >> ttbr0_.txsz);
  }
  return va >= static_cast<uint32_t>(~(va_max >> ttbr1_.txsz));
}

bool Regime::va_in_range(uint32_t va) const {
  if (!lpae_) {
    return true;
  }
  const VaRange& r = range(selects_upper(va));
  if (r.ia_bits >= 32) {
    return true;
  }
  const uint32_t top = va >> r.ia_bits;
  return r.upper ? top == (0xffffffffu >> r.ia_bits) : top == 0;
}

}  // namespace ptsim::hw::arm
