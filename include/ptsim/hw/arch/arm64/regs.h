// The AArch64 EL1&0 stage 1 translation controls (Arm ARM DDI 0487, D19
// system register descriptions): TTBR0_EL1/TTBR1_EL1, TCR_EL1, MAIR_EL1,
// SCTLR_EL1 and PSTATE.PAN, each field declared once, and the Regime that
// follows from their values: which TTBR a VA uses, where its walk starts and
// what output-address size it checks against.
//
//   TCR_EL1
//   63 62 61 60 59 58..55 54 53 52 51 50..43 42 41 40 39 38 37 36 35 34..32
//   RES0 |MTX|DS|TCMA,E0PD|NFD |TBID |HWU  |HPD |HD HA|TBI |AS|0 | IPS
//   31..30 29..28 27..26 25..24 23   22 21..16 15..14 13..12 11..10 9..8 7   6  5..0
//   TG1    SH1    ORGN1  IRGN1  EPD1 A1 T1SZ   TG0    SH0    ORGN0  IRGN0 EPD0 0 T0SZ
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ptsim/hw/addr.h"
#include "ptsim/hw/arch/arm64/descriptor.h"
#include "ptsim/hw/arch/arm64/granule.h"
#include "ptsim/hw/bits.h"

namespace ptsim::hw::arm64 {

// TTBRn_EL1 (D19.2.150/151).  BADDR[51:48] sits in bits [5:2] when the
// output address is 52 bits wide (FEAT_LPA with 64K, or TCR_EL1.DS=1).
namespace ttbr {
inline constexpr BitField kCnP = flag(0);
inline constexpr BitField kBADDR = field(47, 1);
inline constexpr BitField kBADDR51_48 = field(5, 2);
inline constexpr BitField kASID = field(63, 48);
}  // namespace ttbr

// TCR_EL1 (D19.2.139).
namespace tcr {
inline constexpr BitField kT0SZ = field(5, 0);
inline constexpr BitField kEPD0 = flag(7);
inline constexpr BitField kIRGN0 = field(9, 8);
inline constexpr BitField kORGN0 = field(11, 10);
inline constexpr BitField kSH0 = field(13, 12);
inline constexpr BitField kTG0 = field(15, 14);
inline constexpr BitField kT1SZ = field(21, 16);
inline constexpr BitField kA1 = flag(22);
inline constexpr BitField kEPD1 = flag(23);
inline constexpr BitField kIRGN1 = field(25, 24);
inline constexpr BitField kORGN1 = field(27, 26);
inline constexpr BitField kSH1 = field(29, 28);
inline constexpr BitField kTG1 = field(31, 30);
inline constexpr BitField kIPS = field(34, 32);
inline constexpr BitField kAS = flag(36);
inline constexpr BitField kTBI0 = flag(37);
inline constexpr BitField kTBI1 = flag(38);
inline constexpr BitField kHA = flag(39);
inline constexpr BitField kHD = flag(40);
inline constexpr BitField kHPD0 = flag(41);
inline constexpr BitField kHPD1 = flag(42);
inline constexpr BitField kHWU = field(50, 43);
inline constexpr BitField kTBID0 = flag(51);
inline constexpr BitField kTBID1 = flag(52);
inline constexpr BitField kNFD0 = flag(53);
inline constexpr BitField kNFD1 = flag(54);
inline constexpr BitField kE0PD0 = flag(55);
inline constexpr BitField kE0PD1 = flag(56);
inline constexpr BitField kTCMA0 = flag(57);
inline constexpr BitField kTCMA1 = flag(58);
inline constexpr BitField kDS = flag(59);
inline constexpr BitField kMTX0 = flag(60);
inline constexpr BitField kMTX1 = flag(61);
inline constexpr uint64_t kRes0 = bit(6) | bit(35) | genmask(63, 62);
}  // namespace tcr

// SCTLR_EL1 (D19.2.118): the fields translation depends on.
namespace sctlr {
inline constexpr BitField kM = flag(0);
inline constexpr BitField kA = flag(1);
inline constexpr BitField kC = flag(2);
inline constexpr BitField kI = flag(12);
inline constexpr BitField kWXN = flag(19);
inline constexpr BitField kSPAN = flag(23);
inline constexpr BitField kE0E = flag(24);
inline constexpr BitField kEE = flag(25);
inline constexpr BitField kEPAN = flag(57);
}  // namespace sctlr

// TG0 and TG1 encode the same three granules differently (D19.2.139).
Granule decode_tg0(uint64_t tg0);  // 00 4K, 01 64K, 10 16K; 11 reserved
Granule decode_tg1(uint64_t tg1);  // 01 16K, 10 4K, 11 64K; 00 reserved
uint64_t encode_tg0(Granule g);
uint64_t encode_tg1(Granule g);
// IPS: 000 32, 001 36, 010 40, 011 42, 100 44, 101 48, 110 52; 111 reserved.
unsigned decode_ips(uint64_t ips);
uint64_t encode_ips(unsigned pa_bits);

// One MAIR_EL1 Attr<n> byte, checked (D19.2.97): Device 0b0000ddxx with
// xx = 00, or Normal 0booooiiii with neither half 0000, or the Normal
// encodings 0b01000000 (FEAT_XS), 0b10100000 (FEAT_XS) and 0b11110000
// (FEAT_MTE2 tagged).  Anything else is reserved.
bool mair_attr_valid(uint8_t attr);
bool mair_attr_is_device(uint8_t attr);
std::string mair_attr_name(uint8_t attr);  // "Device-nGnRE", "Normal WB-RWA", ...

// The raw register values a translation depends on.
struct Registers {
  uint64_t ttbr0_el1 = 0;
  uint64_t ttbr1_el1 = 0;
  uint64_t tcr_el1 = 0;
  uint64_t mair_el1 = 0;
  uint64_t sctlr_el1 = sctlr::kM.set(0, 1);  // the MMU on
  bool pstate_pan = false;

  // NAME=VALUE as the command line gives it: TTBR0_EL1, TTBR1_EL1, TCR_EL1,
  // MAIR_EL1, SCTLR_EL1, PAN (PSTATE.PAN), case-insensitive.
  void set(std::string_view name, uint64_t value);
  // "NAME=VALUE", the value hex with 0x or decimal.
  void assign(std::string_view name_equals_value);
};

// One of the two VA ranges of the EL1&0 regime: TTBR0_EL1 below, TTBR1_EL1
// above (D8.1.2 "Translation regimes" with two VA ranges).
struct VaRange {
  bool upper = false;
  Granule granule = Granule::k4K;
  unsigned txsz = 25;
  unsigned ia_bits = 39;  // 64 - TxSZ
  int start_level = 1;
  bool epd = false;   // EPDn: a TLB miss here is a translation fault
  bool tbi = false;   // top byte ignored for data accesses
  bool tbid = false;  // ... but not for instruction fetches
  bool hpd = false;   // hierarchical permissions disabled
  unsigned sh = 0;    // SHn: shareability when TCR.DS=1 moves SH out of descriptors
  DescriptorFormat format;
  PhysAddr table_base;  // BADDR, aligned to the start table
  uint64_t ttbr = 0;
};

// The regime the registers describe, validated: every field decoded, every
// reserved encoding and RES0 bit refused with the register, field and value.
class Regime {
 public:
  static Regime from_registers(const Registers& regs);

  const Registers& registers() const { return regs_; }
  const VaRange& range(bool upper) const { return upper ? ttbr1_ : ttbr0_; }
  bool mmu_enabled() const { return mmu_; }
  unsigned pa_bits() const { return pa_bits_; }  // output address size from IPS
  bool hardware_af() const { return ha_; }
  bool hardware_dirty() const { return hd_; }  // TCR.HD, effective only with HA
  bool wxn() const { return wxn_; }
  bool pan() const { return pan_; }
  bool ds() const { return ds_; }
  uint16_t asid() const { return asid_; }  // current ASID (TTBR0 or TTBR1 per TCR.A1)
  bool asid16() const { return as16_; }
  uint8_t mair_attr(unsigned index) const { return mair_[index & 7]; }

  // Changes the current ASID (the TTBR TCR.A1 names), as an OS switching
  // address spaces writes it.
  void set_asid(uint16_t asid);

  // Which range a VA belongs to: bit 55 selects, whether or not the top
  // byte is ignored (D8.1.2, AArch64.VAIsOutOfRange in the pseudocode).
  static bool selects_upper(uint64_t va) { return ((va >> 55) & 1) != 0; }
  // Whether `va` is inside its range: the bits from AddrTop (55 with TBI,
  // 63 without) down to 64-TxSZ all equal bit 55.
  bool va_in_range(uint64_t va, bool instruction_fetch) const {
    const RangeCheck& c = checks_[selects_upper(va)][instruction_fetch];
    return (va & c.mask) == c.expect;
  }

 private:
  Registers regs_;
  VaRange ttbr0_;
  VaRange ttbr1_;
  bool mmu_ = true;
  unsigned pa_bits_ = 48;
  bool ha_ = false;
  bool hd_ = false;
  bool wxn_ = false;
  bool pan_ = false;
  bool ds_ = false;
  bool as16_ = false;
  uint16_t asid_ = 0;
  std::array<uint8_t, 8> mair_{};
  // Per range and per data/fetch: the VA bits AddrTop..64-TxSZ and the
  // value they must have.
  struct RangeCheck {
    uint64_t mask = 0;
    uint64_t expect = 0;
  };
  RangeCheck checks_[2][2];
  void compute_range_checks();
};

}  // namespace ptsim::hw::arm64
