// The block executor: one dispatch per instruction per block, then a loop over the block's trials that
// the compiler can vectorise. Each operand is either a register column or an immediate, and every
// combination gets its own loop, so that an immediate is a broadcast constant rather than a load.
#include <stdexcept>

#include "formula/ops.hpp"
#include "guidance/formula.hpp"
#include "simd/cpu_features.hpp"
#include "simd/prefetch.hpp"

namespace guidance::formula {

namespace {

struct Column {
  const double* values;
  double operator[](std::size_t i) const { return values[i]; }
};

struct Immediate {
  double value = 0.0;
  double operator[](std::size_t) const { return value; }
};

// `out` never aliases an operand (the code generator guarantees it), which lets the loop vectorise
// without run-time overlap checks. `out` may be a fresh stored column: its lines are asked for ahead.
template <Op op, class A, class B, class C>
[[gnu::always_inline]] inline void run(double* __restrict out, std::size_t n, A a, B b, C c) {
  detail::for_each_prefetched_run(out, n, [&](std::size_t first, std::size_t count) __attribute__((always_inline)) {
    for (std::size_t i = first; i < first + count; ++i) out[i] = apply<op>(a[i], b[i], c[i]);
  });
}

// Calls `then` with the operand as a Column or as an Immediate.
template <class Then>
[[gnu::always_inline]] inline void with_operand(const Operand& operand, std::span<double* const> registers,
                                                Then&& then) {
  if (operand.reg >= 0)
    then(Column{registers[static_cast<std::size_t>(operand.reg)]});
  else
    then(Immediate{operand.value});
}

template <Op op>
[[gnu::always_inline]] inline void kernel_loops(const Instruction& instruction, std::span<double* const> registers,
                                                std::size_t n) {
  double* out = registers[static_cast<std::size_t>(instruction.out)];
  with_operand(instruction.a, registers, [&](auto a) __attribute__((always_inline)) {
    if constexpr (arity(op) == 1) {
      run<op>(out, n, a, Immediate{}, Immediate{});
    } else {
      with_operand(instruction.b, registers, [&](auto b) __attribute__((always_inline)) {
        if constexpr (arity(op) == 2)
          run<op>(out, n, a, b, Immediate{});
        else
          with_operand(instruction.c, registers,
                       [&](auto c) __attribute__((always_inline)) { run<op>(out, n, a, b, c); });
      });
    }
  });
}

// Two builds of every kernel (cpu_features.hpp): element by element the same IEEE operations (no FMA;
// the library functions are the same calls), so the same bits.
template <Op op>
void kernel(const Instruction& instruction, std::span<double* const> registers, std::size_t n) {
  kernel_loops<op>(instruction, registers, n);
}
template <Op op>
GUIDANCE_TARGET_AVX512 void avx512_kernel(const Instruction& instruction, std::span<double* const> registers,
                                          std::size_t n) {
  kernel_loops<op>(instruction, registers, n);
}

using Kernel = void (*)(const Instruction&, std::span<double* const>, std::size_t);
constexpr auto kernels = per_op([]<Op op>() -> Kernel { return &kernel<op>; });
constexpr auto avx512_kernels = per_op([]<Op op>() -> Kernel { return &avx512_kernel<op>; });

}  // namespace

void execute(const Program& program, std::span<double* const> registers, std::size_t n) {
  if (registers.size() < program.register_count)
    throw std::invalid_argument("formula::execute: fewer register columns than the program uses");
  const auto& table = detail::cpu_has_avx512() ? avx512_kernels : kernels;
  for (const Instruction& instruction : program.code) table[static_cast<std::size_t>(instruction.op)](instruction, registers, n);
}

}  // namespace guidance::formula
