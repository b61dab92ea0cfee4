// The VMSAv7 PL1&0 stage 1 translation controls (Arm ARM DDI 0406C, B4.1
// "System control registers"; AArch32 in DDI 0487 G8.2 where ARMv8 pins down
// what ARMv7 left UNPREDICTABLE): TTBR0/TTBR1, TTBCR, DACR, SCTLR, PRRR,
// NMRR, MAIR0/MAIR1 and CONTEXTIDR, each field declared once, and the Regime
// that follows from their values.
//
//   TTBCR, EAE == 0 (short-descriptor)   31  30..6  5   4   3  2..0
//                                        EAE RES0   PD1 PD0 0  N
//   TTBCR, EAE == 1 (long-descriptor)
//   31  30  29..28 27..26 25..24 23   22 21..19 18..16 15..14 13..12 11..10 9..8  7    6..3 2..0
//   EAE IMP SH1    ORGN1  IRGN1  EPD1 A1 RES0   T1SZ   RES0   SH0    ORGN0  IRGN0 EPD0 RES0 T0SZ
//
//   TTBRn, short (32-bit):
//     [31:14-N] base  [6] IRGN[0]  [5] NOS  [4:3] RGN  [2] IMP  [1] S  [0] IRGN[1]
//   TTBRn, long (64-bit):
//     [63:56] RES0  [55:48] ASID  [47:40] (address size)  [39:x] BADDR
#pragma once

#include <cstdint>
#include <string_view>

#include "ptsim/hw/addr.h"
#include "ptsim/hw/arch/arm/short_descriptor.h"
#include "ptsim/hw/bits.h"

namespace ptsim::hw::arm {

// TTBCR (B4.1.153).
namespace ttbcr {
inline constexpr BitField n = field(2, 0);
inline constexpr BitField pd0 = flag(4);
inline constexpr BitField pd1 = flag(5);
inline constexpr BitField eae = flag(31);
inline constexpr uint64_t kShortRes0 = genmask(30, 6) | bit(3);
inline constexpr BitField t0sz = field(2, 0);
inline constexpr BitField epd0 = flag(7);
inline constexpr BitField irgn0 = field(9, 8);
inline constexpr BitField orgn0 = field(11, 10);
inline constexpr BitField sh0 = field(13, 12);
inline constexpr BitField t1sz = field(18, 16);
inline constexpr BitField a1 = flag(22);
inline constexpr BitField epd1 = flag(23);
inline constexpr BitField irgn1 = field(25, 24);
inline constexpr BitField orgn1 = field(27, 26);
inline constexpr BitField sh1 = field(29, 28);
inline constexpr BitField imp = flag(30);
// Bit 6 is T2E in ARMv8.2 AArch32 (TTBCR2, hierarchical permission
// disables), which ptsim does not model; in ARMv7 it is UNK/SBZP.
inline constexpr uint64_t kLongRes0 = genmask(6, 3) | genmask(15, 14) | genmask(21, 19);
}  // namespace ttbcr

// TTBR0/TTBR1 (B4.1.154, B4.1.155).
namespace ttbr {
inline constexpr BitField irgn1 = flag(0);  // C without the Multiprocessing Extensions
inline constexpr BitField s = flag(1);
inline constexpr BitField rgn = field(4, 3);
inline constexpr BitField nos = flag(5);
inline constexpr BitField irgn0 = flag(6);
// Long-descriptor (64-bit) form.
inline constexpr BitField baddr = field(39, 0);     // aligned to the start table, see Regime
inline constexpr BitField oa_high = field(47, 40);  // above the 40-bit output address
inline constexpr BitField asid = field(55, 48);
inline constexpr uint64_t kLongRes0 = genmask(63, 56);
}  // namespace ttbr

// SCTLR (B4.1.130): the fields translation depends on.
namespace sctlr {
inline constexpr BitField m = flag(0);
inline constexpr BitField a = flag(1);
inline constexpr BitField c = flag(2);
inline constexpr BitField ha = flag(17);  // hardware Access flag management (optional in v7)
inline constexpr BitField wxn = flag(19);
inline constexpr BitField uwxn = flag(20);
inline constexpr BitField ee = flag(25);
inline constexpr BitField tre = flag(28);
inline constexpr BitField afe = flag(29);
}  // namespace sctlr

// PRRR bits [23:20] are UNK/SBZP (B4.1.127).
namespace prrr {
inline constexpr uint64_t kRes0 = genmask(23, 20);
}  // namespace prrr

// CONTEXTIDR (B4.1.36), short-descriptor form: PROCID[31:8], ASID[7:0].
namespace contextidr {
inline constexpr BitField asid = field(7, 0);
inline constexpr BitField procid = field(31, 8);
}  // namespace contextidr

// The raw register values a translation depends on.
struct Registers {
  uint64_t ttbr0 = 0;  // 64-bit with TTBCR.EAE == 1, else bits [31:0]
  uint64_t ttbr1 = 0;
  uint32_t ttbcr = 0;
  uint32_t dacr = 0;
  uint32_t sctlr = static_cast<uint32_t>(sctlr::m.set(0, 1));  // the MMU on
  uint32_t prrr = 0;
  uint32_t nmrr = 0;
  uint32_t mair0 = 0;
  uint32_t mair1 = 0;
  uint32_t contextidr = 0;

  // NAME=VALUE as the command line gives it: TTBR0, TTBR1, TTBCR, DACR,
  // SCTLR, PRRR, NMRR, MAIR0, MAIR1, CONTEXTIDR, case-insensitive.  A value
  // wider than the register is bad input.
  void set(std::string_view name, uint64_t value);
  void assign(std::string_view name_equals_value);
};

// One of the two VA ranges: TTBR0 below, TTBR1 above.
struct VaRange {
  bool upper = false;     // TTBR1
  bool disabled = false;  // PDn (short) or EPDn (long): a walk here is a translation fault
  PhysAddr table_base;    // the first-level (short) or start-level (long) table
  // Long-descriptor only.
  unsigned txsz = 0;
  unsigned ia_bits = 32;       // 32 - TxSZ
  unsigned start_level = 1;    // 1 or 2
  bool base_above_40 = false;  // TTBR bits [47:40] set: an address size fault at level 0
};

// The regime the registers describe, validated: every RES0 bit and reserved
// encoding is refused with the register, the field and the value.
class Regime {
 public:
  static Regime from_registers(const Registers& regs);

  const Registers& registers() const { return regs_; }
  bool mmu_enabled() const { return mmu_; }
  bool lpae() const { return lpae_; }  // TTBCR.EAE
  // Whether `va` is translated through TTBR1 (B3.5.4 for the short
  // format, TTBCR.N; B3.6.4 for the long format, T0SZ and T1SZ), and
  // whether it is inside the range it selects: the long-descriptor ranges
  // may leave a gap between them, where every VA is a translation fault.
  bool selects_upper(uint32_t va) const;
  bool va_in_range(uint32_t va) const;
  const VaRange& range(bool upper) const { return upper ? ttbr1_ : ttbr0_; }
  unsigned ttbcr_n() const { return n_; }
  bool afe() const { return afe_; }
  bool tre() const { return tre_; }
  bool wxn() const { return wxn_; }
  bool uwxn() const { return uwxn_; }
  bool alignment_check() const { return a_; }  // SCTLR.A
  uint8_t asid() const { return asid_; }       // CONTEXTIDR.ASID, or TTBR0/1.ASID per TTBCR.A1
  short_descriptor::DomainAccess domain(unsigned d) const {
    return short_descriptor::domain_access(regs_.dacr, d);
  }
  // Changes the current ASID as an OS switching address spaces writes it.
  void set_asid(uint8_t asid);
  // A DACR write, as Linux's domain switching makes them.  With the short
  // format a reserved field (0b10) is refused as from_registers() refuses
  // it; with LPAE DACR has no effect and is only recorded.
  void set_dacr(uint32_t dacr);

 private:
  Registers regs_;
  VaRange ttbr0_;
  VaRange ttbr1_;
  bool mmu_ = true;
  bool lpae_ = false;
  unsigned n_ = 0;
  bool afe_ = false;
  bool tre_ = false;
  bool wxn_ = false;
  bool uwxn_ = false;
  bool a_ = false;
  uint8_t asid_ = 0;
};

}  // namespace ptsim::hw::arm
