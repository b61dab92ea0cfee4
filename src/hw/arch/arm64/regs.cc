#include "ptsim/hw/arch/arm64/regs.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "ptsim/error.h"
#include "ptsim/parse.h"

namespace ptsim::hw::arm64 {
namespace {

Error field_error(std::string_view reg, std::string_view field, uint64_t value,
                  std::string_view rule) {
  return bad_input(fmt::format("{}.{} = {:#x}: {}", reg, field, value, rule));
}

}  // namespace

Granule decode_tg0(uint64_t tg0) {
  switch (tg0) {
    case 0b00:
      return Granule::k4K;
    case 0b01:
      return Granule::k64K;
    case 0b10:
      return Granule::k16K;
    default:
      throw field_error("TCR_EL1", "TG0", tg0, "reserved encoding (00 4K, 01 64K, 10 16K)");
  }
}

Granule decode_tg1(uint64_t tg1) {
  switch (tg1) {
    case 0b01:
      return Granule::k16K;
    case 0b10:
      return Granule::k4K;
    case 0b11:
      return Granule::k64K;
    default:
      throw field_error("TCR_EL1", "TG1", tg1, "reserved encoding (01 16K, 10 4K, 11 64K)");
  }
}

uint64_t encode_tg0(Granule g) {
  return g == Granule::k4K ? 0b00 : g == Granule::k64K ? 0b01 : 0b10;
}

uint64_t encode_tg1(Granule g) {
  return g == Granule::k16K ? 0b01 : g == Granule::k4K ? 0b10 : 0b11;
}

namespace {
constexpr std::array<unsigned, 7> kIpsBits = {32, 36, 40, 42, 44, 48, 52};
}  // namespace

unsigned decode_ips(uint64_t ips) {
  if (ips >= kIpsBits.size()) {
    throw field_error("TCR_EL1", "IPS", ips, "reserved encoding (000 32 bits ... 110 52 bits)");
  }
  return kIpsBits[ips];
}

uint64_t encode_ips(unsigned pa_bits) {
  const auto it = std::find(kIpsBits.begin(), kIpsBits.end(), pa_bits);
  if (it == kIpsBits.end()) {
    throw bad_input(fmt::format("{} is not an output address size IPS can encode", pa_bits));
  }
  return static_cast<uint64_t>(it - kIpsBits.begin());
}

bool mair_attr_is_device(uint8_t attr) {
  return (attr & 0xf0) == 0;
}

bool mair_attr_valid(uint8_t attr) {
  const unsigned outer = attr >> 4;
  const unsigned inner = attr & 0xf;
  if (outer == 0) {
    return (inner & 0b11) == 0;
  }
  if (inner == 0) {
    return attr == 0x40 || attr == 0xa0 || attr == 0xf0;
  }
  return true;
}

std::string mair_attr_name(uint8_t attr) {
  if (mair_attr_is_device(attr)) {
    static constexpr const char* kDevice[] = {"Device-nGnRnE", "Device-nGnRE", "Device-nGRE",
                                              "Device-GRE"};
    return (attr & 0b11) == 0 ? kDevice[(attr >> 2) & 0b11]
                              : fmt::format("reserved({:#04x})", attr);
  }
  if (attr == 0xf0) {
    return "Normal-Tagged";
  }
  if ((attr & 0xf) == 0) {
    return attr == 0x40 || attr == 0xa0 ? "Normal-NC-XS0" : fmt::format("reserved({:#04x})", attr);
  }
  // Each half: 0100 non-cacheable, 00RW write-through transient, 01RW (RW
  // != 00) write-back transient, 10RW write-through, 11RW write-back.
  const auto half = [](unsigned h) -> std::string {
    if (h == 0b0100) {
      return "NC";
    }
    const char* kind = (h & 0b1000) != 0 ? ((h & 0b0100) != 0 ? "WB" : "WT")
                                         : ((h & 0b0100) != 0 ? "WB-T" : "WT-T");
    std::string alloc;
    alloc += (h & 0b10) != 0 ? "R" : "";
    alloc += (h & 0b01) != 0 ? "W" : "";
    return alloc.empty() ? kind : fmt::format("{}-{}A", kind, alloc);
  };
  const std::string o = half(attr >> 4);
  const std::string i = half(attr & 0xf);
  return o == i ? "Normal " + o : fmt::format("Normal o:{} i:{}", o, i);
}

void Registers::set(std::string_view name, uint64_t value) {
  std::string upper(name);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return std::toupper(c); });
  if (upper == "TTBR0_EL1") {
    ttbr0_el1 = value;
  } else if (upper == "TTBR1_EL1") {
    ttbr1_el1 = value;
  } else if (upper == "TCR_EL1") {
    tcr_el1 = value;
  } else if (upper == "MAIR_EL1") {
    mair_el1 = value;
  } else if (upper == "SCTLR_EL1") {
    sctlr_el1 = value;
  } else if (upper == "PAN" || upper == "PSTATE.PAN") {
    if (value > 1) {
      throw bad_input(fmt::format("PSTATE.PAN = {:#x}: a one-bit field is 0 or 1", value));
    }
    pstate_pan = value != 0;
  } else {
    throw bad_input(fmt::format(
        "register '{}' is not one translation uses (fix: one of TTBR0_EL1, TTBR1_EL1, TCR_EL1, "
        "MAIR_EL1, SCTLR_EL1, PAN)",
        name));
  }
}

void Registers::assign(std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos) {
    throw bad_input(fmt::format(
        "register setting '{}' is not NAME=VALUE (fix: e.g. --reg TCR_EL1=0x35b5503510)", text));
  }
  set(text.substr(0, eq),
      parse_u64(text.substr(eq + 1), fmt::format("value of {}", text.substr(0, eq))));
}

namespace {

// TxSZ limits (D8.1.5 "Input address size"): at least 16, or 12 for 52-bit
// inputs (FEAT_LPA2 with DS=1, FEAT_LVA with 64K); at most 39 (without
// FEAT_TTST).  Outside them the behaviour is CONSTRAINED UNPREDICTABLE, so
// ptsim refuses the value rather than guess.
void check_txsz(const char* name, unsigned txsz, Granule g, bool ds) {
  const unsigned min = (g == Granule::k64K || ds) ? 12 : 16;
  if (txsz < min || txsz > 39) {
    throw field_error("TCR_EL1", name, txsz,
                      fmt::format("out of range {}..39 for the {} granule{}", min, granule_name(g),
                                  ds ? " with DS=1" : ""));
  }
}

VaRange decode_range(bool upper, const Registers& regs, unsigned pa_bits, bool ds) {
  const uint64_t tcr = regs.tcr_el1;
  VaRange r;
  r.upper = upper;
  r.ttbr = upper ? regs.ttbr1_el1 : regs.ttbr0_el1;
  r.granule = upper ? decode_tg1(tcr::kTG1.get(tcr)) : decode_tg0(tcr::kTG0.get(tcr));
  r.txsz = static_cast<unsigned>((upper ? tcr::kT1SZ : tcr::kT0SZ).get(tcr));
  r.epd = (upper ? tcr::kEPD1 : tcr::kEPD0).get(tcr) != 0;
  r.tbi = (upper ? tcr::kTBI1 : tcr::kTBI0).get(tcr) != 0;
  r.tbid = (upper ? tcr::kTBID1 : tcr::kTBID0).get(tcr) != 0;
  r.hpd = (upper ? tcr::kHPD1 : tcr::kHPD0).get(tcr) != 0;
  r.sh = static_cast<unsigned>((upper ? tcr::kSH1 : tcr::kSH0).get(tcr));
  const bool lpa2 = ds && r.granule != Granule::k64K;
  if (!r.epd) {
    check_txsz(upper ? "T1SZ" : "T0SZ", r.txsz, r.granule, lpa2);
  }
  r.txsz = std::clamp(r.txsz, 12u, 39u);
  r.ia_bits = 64 - r.txsz;
  r.start_level = start_level(r.granule, r.ia_bits);
  if (lpa2) {
    r.format = {r.granule, OaFormat::lpa2};
  } else if (r.granule == Granule::k64K && pa_bits == 52) {
    r.format = {r.granule, OaFormat::lpa};
  } else {
    r.format = {r.granule, OaFormat::pa48};
  }
  // BADDR is aligned to the start-level table, and at least to 64 bytes
  // (D19.2.150: bits [x-1:1] of BADDR are RES0 for a table of 2^x bytes;
  // ptsim ignores them as QEMU does).
  const unsigned index_bits = r.ia_bits - level_shift(r.granule, r.start_level);
  const unsigned x = std::max(6u, index_bits + 3);
  uint64_t base = r.ttbr & genmask(47, x);
  if (r.format.oa_bits() == 52) {
    if ((r.ttbr & bit(1)) != 0) {
      throw field_error(upper ? "TTBR1_EL1" : "TTBR0_EL1", "RES0[1]", 1,
                        "bit 1 is RES0 when BADDR[51:48] is held in bits [5:2]");
    }
    base |= ttbr::kBADDR51_48.get(r.ttbr) << 48;
  }
  r.table_base = PhysAddr(base);
  return r;
}

}  // namespace

Regime Regime::from_registers(const Registers& regs) {
  Regime g;
  g.regs_ = regs;
  const uint64_t tcr = regs.tcr_el1;
  if ((tcr & tcr::kRes0) != 0) {
    throw field_error("TCR_EL1", "RES0", tcr & tcr::kRes0,
                      fmt::format("bits 6, 35 and 63:62 are RES0 (fix: clear them: TCR_EL1={:#x})",
                                  tcr & ~tcr::kRes0));
  }
  if (sctlr::kEE.get(regs.sctlr_el1) != 0) {
    throw field_error("SCTLR_EL1", "EE", 1, "big-endian translation table walks are not modelled");
  }
  g.ds_ = tcr::kDS.get(tcr) != 0;
  g.pa_bits_ = decode_ips(tcr::kIPS.get(tcr));
  g.ttbr0_ = decode_range(false, regs, g.pa_bits_, g.ds_);
  g.ttbr1_ = decode_range(true, regs, g.pa_bits_, g.ds_);
  // A 52-bit IPS with a 4K or 16K granule and DS=0 gives 48 bits
  // (AArch64.PAMax and the IPS description).  The two ranges may differ in
  // granule; the larger of their output formats decides.
  if (g.pa_bits_ == 52 && g.ttbr0_.format.oa_bits() != 52 && g.ttbr1_.format.oa_bits() != 52) {
    g.pa_bits_ = 48;
  }
  g.ha_ = tcr::kHA.get(tcr) != 0;
  // D8.4.6: dirty state is managed only if the Access flag is as well.
  g.hd_ = g.ha_ && tcr::kHD.get(tcr) != 0;
  g.as16_ = tcr::kAS.get(tcr) != 0;
  g.mmu_ = sctlr::kM.get(regs.sctlr_el1) != 0;
  g.wxn_ = sctlr::kWXN.get(regs.sctlr_el1) != 0;
  g.pan_ = regs.pstate_pan;
  for (unsigned i = 0; i < 8; ++i) {
    g.mair_[i] = static_cast<uint8_t>(regs.mair_el1 >> (8 * i));
    if (!mair_attr_valid(g.mair_[i])) {
      throw field_error("MAIR_EL1", fmt::format("Attr{}", i), g.mair_[i],
                        "reserved memory attribute encoding");
    }
  }
  g.set_asid(
      static_cast<uint16_t>(ttbr::kASID.get(tcr::kA1.get(tcr) ? regs.ttbr1_el1 : regs.ttbr0_el1)));
  g.compute_range_checks();
  return g;
}

void Regime::set_asid(uint16_t asid) {
  const bool a1 = tcr::kA1.get(regs_.tcr_el1) != 0;
  uint64_t& reg = a1 ? regs_.ttbr1_el1 : regs_.ttbr0_el1;
  reg = ttbr::kASID.set(reg, asid);
  (a1 ? ttbr1_ : ttbr0_).ttbr = reg;
  // With TCR.AS=0 only ASID[7:0] takes part in matching.
  asid_ = as16_ ? asid : static_cast<uint16_t>(asid & 0xff);
}

void Regime::compute_range_checks() {
  for (bool upper : {false, true}) {
    const VaRange& r = range(upper);
    for (bool fetch : {false, true}) {
      const bool tbi = r.tbi && !(fetch && r.tbid);
      const uint64_t mask = genmask(tbi ? 55 : 63, r.ia_bits);
      checks_[upper][fetch] = {mask, upper ? mask : 0};
    }
  }
}

}  // namespace ptsim::hw::arm64
