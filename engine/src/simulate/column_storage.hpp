// The storage under Column (guidance/simulate.hpp) and the simulate stage's other large buffers: blocks
// of 4 MiB and more come 2 MiB-aligned and marked for transparent huge pages (madvise), because a
// 10-million-trial run otherwise spends a quarter of its time in page faults.
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <utility>

#include "guidance/memory.hpp"

namespace guidance::detail {

void* allocate_column_storage(std::size_t bytes);
void free_column_storage(void* storage, std::size_t bytes) noexcept;
/// The bytes allocate_column_storage() takes for `bytes`: rounded up to whole huge pages from 4 MiB on
/// (the kernel backs the last one whole).
std::size_t column_storage_bytes(std::size_t bytes);
/// The memory of a column-storage buffer of `bytes_per_trial` per trial: those, and up to a huge page
/// of rounding.
MemoryNeed column_memory(double bytes_per_trial);

/// A std::vector's allocator over column storage that leaves elements uninitialised on resize, for
/// buffers the code fills completely (a radix sort's), where zero-filling first would cost more than
/// the work.
template <class T>
struct uninitialized_allocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = uninitialized_allocator<U>;
  };
  using std::allocator<T>::allocator;
  T* allocate(std::size_t n) {
    if (n > std::size_t(-1) / sizeof(T)) throw std::bad_array_new_length();
    return static_cast<T*>(allocate_column_storage(n * sizeof(T)));
  }
  void deallocate(T* storage, std::size_t n) noexcept { free_column_storage(storage, n * sizeof(T)); }
  template <class U, class... Args>
  void construct(U* place, Args&&... args) {
    if constexpr (sizeof...(Args) == 0) ::new (static_cast<void*>(place)) U;
    else ::new (static_cast<void*>(place)) U(std::forward<Args>(args)...);
  }
};

}  // namespace guidance::detail
