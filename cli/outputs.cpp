#include "outputs.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <iostream>
#include <streambuf>
#include <vector>

#include <fmt/format.h>

#include "guidance/diagnostics.hpp"
#include "signals.hpp"

namespace guidance::cli {

namespace fs = std::filesystem;

namespace {

/// An ostream's buffer over a file descriptor that keeps the first write's errno, so that a failed
/// output is reported with the reason the system gave (ENOSPC, EFBIG, EPIPE, EBADF).
class DescriptorBuffer : public std::streambuf {
 public:
  explicit DescriptorBuffer(int descriptor) : descriptor_(descriptor) { setp(buffer_.data(), buffer_.data() + buffer_.size()); }

  /// Write what is buffered; the first error, 0 for none.
  int error() {
    drain();
    return error_;
  }

 protected:
  int_type overflow(int_type c) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  bool drain() {
    for (const char* at = pbase(); error_ == 0 && at < pptr();) {
      const ssize_t written = ::write(descriptor_, at, static_cast<std::size_t>(pptr() - at));
      if (written >= 0) at += written;
      else if (errno != EINTR) error_ = errno;
    }
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return error_ == 0;
  }

  int descriptor_;
  int error_ = 0;
  std::array<char, 1 << 16> buffer_;
};

/// Run `write` into `descriptor`: the first write error, 0 for none. Exceptions from `write` pass.
int write_to(int descriptor, const std::function<void(std::ostream&)>& write) {
  DescriptorBuffer buffer(descriptor);
  std::ostream out(&buffer);
  write(out);
  return buffer.error();
}

/// What the user can do about a failed write.
std::string write_hint(int error, bool to_stdout) {
  switch (error) {
    case ENOSPC: return "the disk is full: free some space, or write the output elsewhere";
    case EDQUOT: return "the disk quota is used up: free some space, or write the output elsewhere";
    case EFBIG: return "the output is larger than the file-size limit (see `ulimit -f`)";
    case EBADF: return to_stdout ? "stdout is closed: redirect it to a file, or to /dev/null to discard it" : "";
    default: return to_stdout ? "check where stdout is redirected" : "check that the directory exists and is writable";
  }
}

[[noreturn]] void fail(const std::string& path, int error) {
  if (error == EPIPE) throw ReaderGone();
  throw InputError({}, fmt::format("cannot write `{}`: {}", path, std::strerror(error)), write_hint(error, false));
}

[[noreturn]] void fail_stdout(int error) {
  if (error == EPIPE) throw ReaderGone();
  throw InputError({}, fmt::format("cannot write to stdout: {}", std::strerror(error)), write_hint(error, true));
}

/// std::cout's buffer. Never destroyed: the runtime flushes std::cout after static destructors.
DescriptorBuffer& stdout_buffer() {
  static auto* buffer = new DescriptorBuffer(STDOUT_FILENO);
  return *buffer;
}

/// A file written to its temporary and waiting for commit_outputs().
struct Staged {
  std::string path;  // as the user named it
  fs::path temporary, target;
};
std::vector<Staged> staged;

void remove_temporary(const fs::path& temporary) {
  const auto hold = hold_signals();
  ::unlink(temporary.c_str());
  forget_on_signal(temporary);
}

/// Fill an opened output: write it through `descriptor`, or have a library write the file at `path`
/// (the same file). Returns the first write error, 0 for none; exceptions pass.
using Fill = std::function<int(int descriptor, const fs::path& path)>;

Fill fill_stream(const std::function<void(std::ostream&)>& write) {
  return [&write](int descriptor, const fs::path&) { return write_to(descriptor, write); };
}

Fill fill_file(const std::function<int(const std::string&)>& write) {
  return [&write](int, const fs::path& path) { return write(path.string()); };
}

/// Write a device or a pipe (/dev/null, /dev/stdout, a FIFO) directly: it cannot be replaced.
void write_directly(const std::string& path, const Fill& fill) {
  const int descriptor = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (descriptor < 0) fail(path, errno);
  int error = 0;
  try {
    error = fill(descriptor, path);
  } catch (...) {
    ::close(descriptor);
    throw;
  }
  if (::close(descriptor) != 0 && error == 0) error = errno;
  if (error != 0) fail(path, error);
}

void stage(const std::string& path, const fs::file_status& status, const Fill& fill) {
  // Replace the file a link names, not the link (a link to nowhere is replaced itself).
  std::error_code error_code;
  fs::path target(path);
  if (fs::is_symlink(fs::symlink_status(path, error_code)) && fs::exists(status)) {
    const fs::path resolved = fs::canonical(path, error_code);
    if (!error_code) target = resolved;
  }
  // Beside the target, so that the rename is atomic on the same file system.
  const fs::path temporary = target.parent_path() / fmt::format(".{}.tmp{}", target.filename().string(), ::getpid());
  int descriptor = -1;
  {
    // Registered before it exists, and created under the lock: a signal removes it or never sees it.
    const auto hold = hold_signals();
    remove_on_signal(temporary);
    descriptor = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (descriptor < 0) {
      const int error = errno;
      forget_on_signal(temporary);
      fail(path, error);
    }
  }
  int error = 0;
  try {
    error = fill(descriptor, temporary);
  } catch (...) {
    ::close(descriptor);
    remove_temporary(temporary);
    throw;
  }
  if (error == 0 && fs::exists(status) && ::fchmod(descriptor, static_cast<mode_t>(status.permissions())) != 0)
    error = errno;
  // On disk before the rename, so that a power loss after it finds the new file whole.
  if (error == 0 && ::fsync(descriptor) != 0) error = errno;
  if (::close(descriptor) != 0 && error == 0) error = errno;
  if (error != 0) {
    remove_temporary(temporary);
    fail(path, error);
  }
  staged.push_back({path, temporary, target});
}

}  // namespace

void prepare_standard_streams() {
  for (const int descriptor : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) {
    if (::fcntl(descriptor, F_GETFD) != -1 || errno != EBADF) continue;
    // The lowest free descriptor, which is this one: 0, 1 and 2 are checked in order.
    [[maybe_unused]] const int opened = ::open("/dev/null", descriptor == STDIN_FILENO ? O_WRONLY : O_RDONLY);
  }
  std::cout.rdbuf(&stdout_buffer());
}

namespace {

/// A file or a device, as write_output says; never stdout.
void write_to_path(const std::string& path, const Fill& fill) {
  std::error_code error_code;
  const fs::file_status status = fs::status(path, error_code);  // follows symbolic links
  if (fs::is_directory(status))
    throw InputError({}, fmt::format("cannot write `{}`: it is a directory", path), write_hint(0, false));
  if (fs::exists(status) && !fs::is_regular_file(status))
    write_directly(path, fill);
  else
    stage(path, status, fill);
}

}  // namespace

namespace {
bool writing = true;
}  // namespace

void write_no_outputs() { writing = false; }

void write_output(const std::string& path, const std::function<void(std::ostream&)>& write) {
  if (!writing) return;
  if (path.empty() || path == "-") {
    write(std::cout);
    flush_stdout();
    return;
  }
  write_to_path(path, fill_stream(write));
}

void write_output_file(const std::string& path, const std::function<int(const std::string& file)>& write) {
  if (path.empty() || path == "-") throw std::invalid_argument("write_output_file needs a file, not stdout");
  if (!writing) return;
  write_to_path(path, fill_file(write));
}

void write_output(const std::string& path, const std::string& text) {
  write_output(path, [&](std::ostream& out) { out.write(text.data(), static_cast<std::streamsize>(text.size())); });
}

void commit_outputs() {
  const auto hold = hold_signals();
  ignore_signals();
  std::optional<InputError> failed;
  std::vector<fs::path> directories;
  for (const Staged& file : staged) {
    if (std::rename(file.temporary.c_str(), file.target.c_str()) != 0) {
      const int error = errno;
      if (!failed)
        failed.emplace(SourceLocation{}, fmt::format("cannot write `{}`: {}", file.path, std::strerror(error)),
                       write_hint(error, false));
      ::unlink(file.temporary.c_str());
    }
    forget_on_signal(file.temporary);
    directories.push_back(file.target.parent_path().empty() ? "." : file.target.parent_path());
  }
  staged.clear();
  // The renames on disk too. Best effort: some file systems cannot sync a directory.
  for (const fs::path& directory : directories) {
    const int descriptor = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (descriptor < 0) continue;
    ::fsync(descriptor);
    ::close(descriptor);
  }
  if (failed) throw *failed;
}

void discard_outputs() {
  for (const Staged& file : staged) remove_temporary(file.temporary);
  staged.clear();
}

void flush_stdout() {
  std::cout.flush();
  if (const int error = stdout_buffer().error()) fail_stdout(error);
}

void check_output_paths(const std::string& scenario_file,
                        std::initializer_list<std::pair<std::string_view, std::string_view>> outputs) {
  namespace fs = std::filesystem;
  // Devices and pipes (/dev/null) may take several outputs; files may take one.
  const auto is_file = [](std::string_view path) {
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    return !path.empty() && path != "-" && (!fs::exists(status) || fs::is_regular_file(status));
  };
  const auto same = [](std::string_view a, std::string_view b) {
    std::error_code missing, error_a, error_b;
    if (fs::equivalent(a, b, missing)) return true;  // hard links too
    const fs::path canonical_a = fs::weakly_canonical(a, error_a), canonical_b = fs::weakly_canonical(b, error_b);
    return !error_a && !error_b && canonical_a == canonical_b;
  };
  for (auto first = outputs.begin(); first != outputs.end(); ++first) {
    if (!is_file(first->second)) continue;
    if (same(first->second, scenario_file))
      throw InputError({}, fmt::format("{} `{}` would overwrite the scenario file", first->first, first->second),
                       "write the result to another file");
    for (auto second = std::next(first); second != outputs.end(); ++second)
      if (is_file(second->second) && same(first->second, second->second))
        throw InputError({}, fmt::format("{} and {} both name `{}`", first->first, second->first, first->second),
                         "give each output a file of its own");
  }
}

}  // namespace guidance::cli
