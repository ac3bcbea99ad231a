// Column storage: uninitialised doubles, in transparent huge pages from 4 MiB on.
#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <new>
#include <utility>

#include "guidance/simulate.hpp"
#include "simulate/column_storage.hpp"

namespace guidance {

namespace detail {

namespace {
constexpr std::size_t huge_page = std::size_t{2} << 20;
constexpr std::size_t huge_page_threshold = 2 * huge_page;
std::size_t round_to_huge_pages(std::size_t bytes) { return (bytes + huge_page - 1) / huge_page * huge_page; }
}  // namespace

std::size_t column_storage_bytes(std::size_t bytes) {
  return bytes < huge_page_threshold ? bytes : round_to_huge_pages(bytes);
}

MemoryNeed column_memory(double bytes_per_trial) { return {bytes_per_trial, static_cast<double>(huge_page)}; }

void* allocate_column_storage(std::size_t bytes) {
  if (bytes < huge_page_threshold) return ::operator new(bytes);
  const std::size_t rounded = round_to_huge_pages(bytes);
  void* storage = std::aligned_alloc(huge_page, rounded);
  if (storage == nullptr) throw std::bad_alloc();
  // Advice only: without transparent huge pages the kernel ignores it and the run is merely slower.
  ::madvise(storage, rounded, MADV_HUGEPAGE);
  return storage;
}

void free_column_storage(void* storage, std::size_t bytes) noexcept {
  if (bytes < huge_page_threshold) ::operator delete(storage);
  else std::free(storage);
}

}  // namespace detail

Column::Column(std::size_t size) { resize(size); }

Column::Column(Column&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      capacity_(std::exchange(other.capacity_, 0)) {}

Column& Column::operator=(Column&& other) noexcept {
  if (this != &other) {
    release();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    capacity_ = std::exchange(other.capacity_, 0);
  }
  return *this;
}

Column::~Column() { release(); }

void Column::resize(std::size_t size) {
  // Shrinking keeps the storage, as a std::vector does; growing takes exactly what is asked, since a
  // result column is sized once for its run (or once per extend()).
  if (size > capacity_) {
    if (size > std::size_t(-1) / sizeof(double)) throw std::bad_array_new_length();
    auto* storage = static_cast<double*>(detail::allocate_column_storage(size * sizeof(double)));
    std::copy_n(data_, size_, storage);
    release();
    data_ = storage;
    capacity_ = size;
  }
  size_ = size;
}

void Column::release() noexcept {
  if (data_ != nullptr) detail::free_column_storage(data_, capacity_ * sizeof(double));
  data_ = nullptr;
  size_ = capacity_ = 0;
}

}  // namespace guidance
