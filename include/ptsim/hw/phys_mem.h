// Simulated physical memory: sparse, page-backed, little-endian.
//
// The physical address space (up to 52 bits) is divided into declared banks,
// RAM or device.  Storage is allocated one 4 KiB host frame at a time on the
// first write to it; RAM never written reads as zero.  An access outside
// every declared bank is an error the caller sees, as a bus error would be.
//
// Lookup is a two-level radix of frame pointers (20 bits a level over the
// 40-bit frame number), so a load from a backed frame is three dependent
// loads with no hashing: the directory entry, the frame pointer, the data.
// Directory and leaves are reserved address space, backed by the host only
// where touched (a 4 KiB page of a leaf covers 2 MiB of physical memory).
//
//   PA bit  51                32 31                12 11        0
//          +--------------------+--------------------+-----------+
//          |  directory         |  leaf              |  offset   |
//          +--------------------+--------------------+-----------+
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ptsim/hw/addr.h"

namespace ptsim::hw {

enum class BankKind { ram, device };

struct Bank {
  PhysAddr base;
  uint64_t size = 0;
  BankKind kind = BankKind::ram;
  std::string name;

  PhysAddr end() const { return base + size; }  // exclusive
  bool contains(PhysAddr pa, uint64_t len = 1) const {
    return pa >= base && len <= size && pa - base <= size - len;
  }
};

class PhysMem {
 public:
  static constexpr unsigned kFrameShift = 12;
  static constexpr uint64_t kFrameSize = uint64_t{1} << kFrameShift;
  static constexpr unsigned kPhysAddrBits = 52;  // the largest PA of the architecture

  PhysMem();
  ~PhysMem();
  PhysMem(const PhysMem&) = delete;
  PhysMem& operator=(const PhysMem&) = delete;
  // A moved-from PhysMem may only be destroyed or assigned to.
  PhysMem(PhysMem&&) noexcept;
  PhysMem& operator=(PhysMem&&) noexcept;

  // Declares a bank.  Refuses a zero size, a range past 2^52 and an overlap
  // with a bank already declared.
  void add_bank(Bank bank);
  void add_ram(PhysAddr base, uint64_t size, std::string name = "ram");
  const std::vector<Bank>& banks() const { return banks_; }
  const Bank* find_bank(PhysAddr pa) const;

  uint64_t load64(PhysAddr pa) const {
    const uint64_t a = pa.value();
    if (const std::byte* f = frame(a); f != nullptr && (a & (kFrameSize - 1)) <= kFrameSize - 8) {
      uint64_t v;
      __builtin_memcpy(&v, f + (a & (kFrameSize - 1)), 8);
      return v;
    }
    return load_slow<uint64_t>(pa);
  }
  uint32_t load32(PhysAddr pa) const;
  void store64(PhysAddr pa, uint64_t value);
  void store32(PhysAddr pa, uint32_t value);

  // The same load without throwing: nullopt outside every bank.
  std::optional<uint64_t> try_load64(PhysAddr pa) const noexcept {
    const uint64_t a = pa.value();
    if (const std::byte* f = frame(a); f != nullptr && (a & (kFrameSize - 1)) <= kFrameSize - 8) {
      uint64_t v;
      __builtin_memcpy(&v, f + (a & (kFrameSize - 1)), 8);
      return v;
    }
    return try_load64_slow(pa);
  }

  void read(PhysAddr pa, std::span<std::byte> out) const;
  void write(PhysAddr pa, std::span<const std::byte> in);
  // Zeroes a range.  Frames never written are zero already and stay unbacked.
  void zero(PhysAddr pa, uint64_t size);

  // Loads a raw image at `base`; all-zero frames of the image that are not
  // yet backed stay unbacked, so a mostly empty RAM dump stays small.
  void load_image(PhysAddr base, std::span<const std::byte> image);
  void load_image_file(const std::string& path, PhysAddr base);
  // Writes [pa, pa + size) to a stream, zeros for frames never written.
  void save_range(PhysAddr pa, uint64_t size, std::ostream& out) const;

  // The host storage of the 4 KiB frame holding `pa`, backing it if needed:
  // what a kernel's fixmap gives when it maps a table page to fill it.
  // Valid until the PhysMem is destroyed; an address outside every bank is
  // refused as any other access.
  std::byte* map_frame(PhysAddr pa);
  // The host storage of the frame holding `pa` if it is backed, else null;
  // read-only, for caches of frame addresses (e.g. the table walker's).
  const std::byte* backed_frame(PhysAddr pa) const { return frame(pa.value()); }

  // Host bytes held for frame storage (frames backed times the frame size).
  uint64_t backed_bytes() const { return frames_backed_ * kFrameSize; }
  uint64_t frames_backed() const { return frames_backed_; }

 private:
  static constexpr unsigned kLeafBits = 20;
  static constexpr uint64_t kLeafSize = uint64_t{1} << kLeafBits;
  static constexpr unsigned kDirBits = kPhysAddrBits - kFrameShift - kLeafBits;
  static constexpr uint64_t kDirSize = uint64_t{1} << kDirBits;
  static_assert(kDirBits + kLeafBits + kFrameShift == kPhysAddrBits);
  using Leaf = std::byte* [kLeafSize];

  // Null for a frame not backed, or outside the physical address space.
  const std::byte* frame(uint64_t pa) const {
    const uint64_t fn = pa >> kFrameShift;
    if ((fn >> (kDirBits + kLeafBits)) != 0) {
      return nullptr;
    }
    const Leaf* leaf = dir_[fn >> kLeafBits];
    if (leaf == nullptr) {
      return nullptr;
    }
    return (*leaf)[fn & (kLeafSize - 1)];
  }
  std::byte* frame_for_write(uint64_t pa);
  std::byte* allocate_frame();
  std::optional<uint64_t> try_load64_slow(PhysAddr pa) const noexcept;
  void check_access(PhysAddr pa, uint64_t len, const char* what) const;
  template <class T>
  T load_slow(PhysAddr pa) const;

  std::vector<Bank> banks_;
  // Address space reserved with mmap, released on destruction.
  struct Reservation;
  std::unique_ptr<Reservation> dir_space_;
  Leaf** dir_ = nullptr;  // kDirSize entries, in dir_space_
  std::vector<Reservation> leaves_;
  struct Slab;
  std::vector<std::unique_ptr<Slab>> slabs_;
  uint64_t slab_used_ = 0;  // frames handed out from the newest slab
  uint64_t frames_backed_ = 0;
};

}  // namespace ptsim::hw
