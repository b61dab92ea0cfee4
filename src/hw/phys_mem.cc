#include "ptsim/hw/phys_mem.h"

#include <fmt/format.h>
#include <sys/mman.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <fstream>
#include <iterator>
#include <ostream>
#include <utility>

#include "ptsim/error.h"
#include "ptsim/error_context.h"

namespace ptsim::hw {

static_assert(std::endian::native == std::endian::little,
              "simulated memory is little-endian and copies host words directly");

namespace {

void* reserve(uint64_t bytes) {
  void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) {
    throw Error(ErrorKind::internal, "cannot reserve host memory for simulated RAM");
  }
  return p;
}

}  // namespace

// Anonymous address space: the kernel backs its pages only when they are
// touched, and they read as zero until then.
struct PhysMem::Reservation {
  void* base = nullptr;
  uint64_t bytes = 0;

  explicit Reservation(uint64_t n) : base(reserve(n)), bytes(n) {}
  ~Reservation() {
    if (base != nullptr) {
      ::munmap(base, bytes);
    }
  }
  Reservation(Reservation&& o) noexcept : base(std::exchange(o.base, nullptr)), bytes(o.bytes) {}
  Reservation& operator=(Reservation&&) = delete;
  Reservation(const Reservation&) = delete;
};

// Frames are carved in order from large reservations, so host memory
// follows the frames actually written, not the slab size.
struct PhysMem::Slab {
  static constexpr uint64_t kFrames = 16384;  // 64 MiB of address space per slab
  Reservation space{kFrames * kFrameSize};
  std::byte* base = static_cast<std::byte*>(space.base);
};

PhysMem::PhysMem()
    : dir_space_(std::make_unique<Reservation>(kDirSize * sizeof(Leaf*))),
      dir_(static_cast<Leaf**>(dir_space_->base)) {}
PhysMem::~PhysMem() = default;

// A moved-from PhysMem keeps no storage; it may only be destroyed or
// assigned to.
PhysMem::PhysMem(PhysMem&& o) noexcept
    : banks_(std::move(o.banks_)),
      dir_space_(std::move(o.dir_space_)),
      dir_(std::exchange(o.dir_, nullptr)),
      leaves_(std::move(o.leaves_)),
      slabs_(std::move(o.slabs_)),
      slab_used_(std::exchange(o.slab_used_, 0)),
      frames_backed_(std::exchange(o.frames_backed_, 0)) {}

PhysMem& PhysMem::operator=(PhysMem&& o) noexcept {
  if (this != &o) {
    banks_ = std::move(o.banks_);
    dir_space_ = std::move(o.dir_space_);
    dir_ = std::exchange(o.dir_, nullptr);
    leaves_ = std::move(o.leaves_);
    slabs_ = std::move(o.slabs_);
    slab_used_ = std::exchange(o.slab_used_, 0);
    frames_backed_ = std::exchange(o.frames_backed_, 0);
  }
  return *this;
}

void PhysMem::add_bank(Bank bank) {
  const uint64_t limit = uint64_t{1} << kPhysAddrBits;
  if (bank.size == 0) {
    throw bad_input(fmt::format("bank '{}' at {:#x} has size 0: a bank must have a size", bank.name,
                                bank.base.value()));
  }
  if (bank.base.value() >= limit || bank.size > limit - bank.base.value()) {
    throw bad_input(fmt::format(
        "bank '{}' [{:#x}-{:#x}) goes past the 52-bit physical address space (limit {:#x})",
        bank.name, bank.base.value(), bank.base.value() + bank.size, limit));
  }
  for (const Bank& other : banks_) {
    if (bank.base < other.end() && other.base < bank.end()) {
      throw bad_input(fmt::format("bank '{}' [{:#x}-{:#x}) overlaps bank '{}' [{:#x}-{:#x})",
                                  bank.name, bank.base.value(), bank.end().value(), other.name,
                                  other.base.value(), other.end().value()));
    }
  }
  const auto at = std::upper_bound(banks_.begin(), banks_.end(), bank.base,
                                   [](PhysAddr pa, const Bank& b) { return pa < b.base; });
  banks_.insert(at, std::move(bank));
}

void PhysMem::add_ram(PhysAddr base, uint64_t size, std::string name) {
  add_bank(Bank{base, size, BankKind::ram, std::move(name)});
}

const Bank* PhysMem::find_bank(PhysAddr pa) const {
  for (const Bank& b : banks_) {
    if (b.contains(pa)) {
      return &b;
    }
  }
  return nullptr;
}

void PhysMem::check_access(PhysAddr pa, uint64_t len, const char* what) const {
  // An access may span two adjacent banks; each byte must be in some bank.
  uint64_t done = 0;
  while (done < len) {
    const PhysAddr at = pa + done;
    const Bank* b = (at.value() < pa.value()) ? nullptr : find_bank(at);
    if (b == nullptr) {
      throw bad_input(fmt::format(
          "{} of {} byte(s) at physical address {:#x}: {:#x} is outside every declared RAM or "
          "device bank",
          what, len, pa.value(), at.value()));
    }
    done += std::min(len - done, b->end() - at);
  }
}

std::byte* PhysMem::allocate_frame() {
  if (slabs_.empty() || slab_used_ == Slab::kFrames) {
    slabs_.push_back(std::make_unique<Slab>());
    slab_used_ = 0;
  }
  ++frames_backed_;
  return slabs_.back()->base + (slab_used_++) * kFrameSize;
}

std::byte* PhysMem::frame_for_write(uint64_t pa) {
  const uint64_t fn = pa >> kFrameShift;
  Leaf*& leaf = dir_[fn >> kLeafBits];
  if (leaf == nullptr) {
    leaves_.emplace_back(sizeof(Leaf));
    leaf = static_cast<Leaf*>(leaves_.back().base);
  }
  std::byte*& f = (*leaf)[fn & (kLeafSize - 1)];
  if (f == nullptr) {
    f = allocate_frame();
  }
  return f;
}

std::byte* PhysMem::map_frame(PhysAddr pa) {
  if (const std::byte* f = frame(pa.value())) {
    return const_cast<std::byte*>(f);
  }
  check_access(pa.align_down(kFrameSize), kFrameSize, "map");
  return frame_for_write(pa.value());
}

template <class T>
T PhysMem::load_slow(PhysAddr pa) const {
  T value{};
  read(pa, std::as_writable_bytes(std::span(&value, 1)));
  return value;
}
template uint64_t PhysMem::load_slow<uint64_t>(PhysAddr) const;

uint32_t PhysMem::load32(PhysAddr pa) const {
  const uint64_t a = pa.value();
  if (const std::byte* f = frame(a); f != nullptr && (a & (kFrameSize - 1)) <= kFrameSize - 4) {
    uint32_t v;
    std::memcpy(&v, f + (a & (kFrameSize - 1)), 4);
    return v;
  }
  return load_slow<uint32_t>(pa);
}

void PhysMem::store64(PhysAddr pa, uint64_t value) {
  write(pa, std::as_bytes(std::span(&value, 1)));
}

void PhysMem::store32(PhysAddr pa, uint32_t value) {
  write(pa, std::as_bytes(std::span(&value, 1)));
}

std::optional<uint64_t> PhysMem::try_load64_slow(PhysAddr pa) const noexcept {
  try {
    return load_slow<uint64_t>(pa);
  } catch (const Error&) {
    return std::nullopt;
  }
}

void PhysMem::read(PhysAddr pa, std::span<std::byte> out) const {
  check_access(pa, out.size(), "read");
  uint64_t done = 0;
  while (done < out.size()) {
    const uint64_t a = pa.value() + done;
    const uint64_t offset = a & (kFrameSize - 1);
    const uint64_t chunk = std::min<uint64_t>(out.size() - done, kFrameSize - offset);
    if (const std::byte* f = frame(a)) {
      std::memcpy(out.data() + done, f + offset, chunk);
    } else {
      std::memset(out.data() + done, 0, chunk);
    }
    done += chunk;
  }
}

void PhysMem::write(PhysAddr pa, std::span<const std::byte> in) {
  const uint64_t a0 = pa.value();
  // Fast path: a store inside a frame already backed (table updates).
  if (std::byte* f = const_cast<std::byte*>(frame(a0));
      f != nullptr && (a0 & (kFrameSize - 1)) + in.size() <= kFrameSize) {
    std::memcpy(f + (a0 & (kFrameSize - 1)), in.data(), in.size());
    return;
  }
  check_access(pa, in.size(), "write");
  uint64_t done = 0;
  while (done < in.size()) {
    const uint64_t a = a0 + done;
    const uint64_t offset = a & (kFrameSize - 1);
    const uint64_t chunk = std::min<uint64_t>(in.size() - done, kFrameSize - offset);
    std::memcpy(frame_for_write(a) + offset, in.data() + done, chunk);
    done += chunk;
  }
}

void PhysMem::zero(PhysAddr pa, uint64_t size) {
  check_access(pa, size, "zero");
  uint64_t done = 0;
  while (done < size) {
    const uint64_t a = pa.value() + done;
    const uint64_t offset = a & (kFrameSize - 1);
    const uint64_t chunk = std::min<uint64_t>(size - done, kFrameSize - offset);
    if (std::byte* f = const_cast<std::byte*>(frame(a))) {
      std::memset(f + offset, 0, chunk);
    }
    done += chunk;
  }
}

void PhysMem::load_image(PhysAddr base, std::span<const std::byte> image) {
  check_access(base, image.size(), "image load");
  uint64_t done = 0;
  while (done < image.size()) {
    const uint64_t a = base.value() + done;
    const uint64_t offset = a & (kFrameSize - 1);
    const uint64_t chunk = std::min<uint64_t>(image.size() - done, kFrameSize - offset);
    const auto piece = image.subspan(done, chunk);
    const bool all_zero = std::all_of(piece.begin(), piece.end(), [](std::byte b) { return b == std::byte{0}; });
    if (!all_zero || frame(a) != nullptr) {
      write(PhysAddr(a), piece);
    }
    done += chunk;
  }
}

void PhysMem::load_image_file(const std::string& path, PhysAddr base) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw cannot_open("memory image", path);
  }
  std::vector<std::byte> chunk(1 << 20);
  uint64_t offset = 0;
  while (in) {
    in.read(reinterpret_cast<char*>(chunk.data()), static_cast<std::streamsize>(chunk.size()));
    const auto got = static_cast<uint64_t>(in.gcount());
    if (got == 0) {
      break;
    }
    try {
      load_image(base + offset, std::span(chunk.data(), got));
    } catch (const Error& e) {
      throw bad_input(fmt::format("memory image '{}' at {:#x}: {}", path, base.value(), e.what()));
    }
    offset += got;
  }
}

void PhysMem::save_range(PhysAddr pa, uint64_t size, std::ostream& out) const {
  check_access(pa, size, "save");
  std::vector<std::byte> buf(kFrameSize);
  uint64_t done = 0;
  while (done < size) {
    const uint64_t chunk = std::min<uint64_t>(size - done, kFrameSize - ((pa.value() + done) & (kFrameSize - 1)));
    read(pa + done, std::span(buf.data(), chunk));
    out.write(reinterpret_cast<const char*>(buf.data()), static_cast<std::streamsize>(chunk));
    done += chunk;
  }
}

}  // namespace ptsim::hw
