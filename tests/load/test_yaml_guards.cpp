// The guards around yaml-cpp 0.7 and the file system: each trap of the library, and each way an input can
// try to exhaust time, stack or memory, is refused with a clear message. Run these under `timeout` when
// changing the loader: without its guards, several of them hang or eat memory instead of failing.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "guidance/load.hpp"
#include "load/load_support.hpp"

using namespace guidance;
using load_test::Case;
using load_test::error_of;
using load_test::error_of_file;
using Catch::Matchers::EndsWith;
using Catch::Matchers::StartsWith;

namespace {

// Loads `text`, which must fail, and returns the error (for inputs whose source line is too long to
// quote in full).
InputError failure(std::string text) {
  try {
    parse_scenario(std::move(text), "x.yaml");
  } catch (const InputError& error) {
    return error;
  }
  FAIL("loaded");
  throw;
}

}  // namespace

TEST_CASE("yaml-cpp issue 1040: a stray comma is refused, not parsed forever") {
  // yaml-cpp never consumes a `,` outside brackets: each request for the next document "parses" an empty
  // document at the same place, so a loop over documents (YAML::LoadAll) runs forever, eating memory.
  // The loader asks for a second document exactly once.
  const auto& [input, line] = GENERATE(table<std::string, std::string>({{",", ","}, {",u", ",u"}, {",]", ",]"}}));
  CHECK(error_of(input) ==
        "x.yaml:1:1: error: invalid YAML: unexpected `,`\n"
        "    " + line + "\n"
        "    ^\n"
        "hint: `,` separates items only inside [ ] or { }\n");
}

TEST_CASE("a stray comma after a complete document is refused too") {
  CHECK(error_of("name: t\ndrivers: {a: 1}\n...\n,\n") ==
        "x.yaml:4:1: error: invalid YAML: unexpected `,`\n"
        "    ,\n"
        "    ^\n"
        "hint: `,` separates items only inside [ ] or { }\n");
}

TEST_CASE("yaml-cpp traps") {
  static const std::vector<Case> traps = {
      {"duplicate keys (yaml-cpp keeps one silently)", "bad/duplicate_driver.yaml",
       "bad/duplicate_driver.yaml:5:3: error: duplicate key `revenue`\n"
       "      revenue: {dist: normal, mean: 120, sd: 5}\n"
       "      ^~~~~~~\n"
       "hint: `revenue` is already defined on line 3; YAML would keep only one of them\n"},
      {"a second document (yaml-cpp ignores it)", "bad/second_document.yaml",
       "bad/second_document.yaml:3:1: error: a second YAML document\n"
       "    ---\n"
       "    ^\n"
       "hint: a scenario file holds one document: remove the `---` line and what follows it\n"},
      {"an alias bomb (a billion values from nine lines)", "bad/alias_bomb.yaml",
       "bad/alias_bomb.yaml:2:4: error: YAML anchors are not supported\n"
       "    a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
       "       ^~\n"
       "hint: write each value out in full: anchors and aliases are refused so that a small file cannot expand "
       "into a huge one\n"},
      {"a self-referencing alias", "bad/self_alias.yaml",
       "bad/self_alias.yaml:2:10: error: YAML anchors are not supported\n"
       "    drivers: &loop {a: *loop}\n"
       "             ^~~~~\n"
       "hint: write each value out in full: anchors and aliases are refused so that a small file cannot expand "
       "into a huge one\n"},
      {"not UTF-8 (Latin-1)", "bad/latin1.yaml",
       "bad/latin1.yaml: error: not valid UTF-8: byte 0xE9 at line 2, column 18\n"
       "hint: save the file as UTF-8\n"},
      {"tab indentation", "bad/tab_indent.yaml",
       "bad/tab_indent.yaml:3:9: error: invalid YAML: illegal map value\n"
       "    \trevenue: 100\n"
       "    \t       ^\n"
       "hint: indent with spaces: YAML does not allow tabs\n"},
  };
  const Case& c = GENERATE(from_range(traps));
  INFO(c.what);
  CHECK(error_of_file(c.input) == c.expected);
}

TEST_CASE("a merge key is refused, not read as a key named <<") {
  CHECK(error_of("name: t\ndrivers:\n  a: {<<: {dist: normal}, mean: 1, sd: 1}\n") ==
        "x.yaml:3:7: error: YAML merge keys (`<<`) are not supported\n"
        "      a: {<<: {dist: normal}, mean: 1, sd: 1}\n"
        "          ^~\n"
        "hint: write the values out in full\n");
}

TEST_CASE("YAML 1.1 spellings are not numbers: yes/on are not booleans-as-numbers, 010 is not octal 8") {
  CHECK(error_of("name: t\ndrivers: {a: on}\n") ==
        "x.yaml:2:14: error: expected a number, found `on`\n"
        "    drivers: {a: on}\n"
        "                 ^~\n"
        "hint: `on` is not a number (YAML 1.1 reads it as a boolean)\n");
  CHECK(error_of("name: t\ndrivers: {a: 010}\n") ==
        "x.yaml:2:14: error: expected a number, found `010`\n"
        "    drivers: {a: 010}\n"
        "                 ^~~\n"
        "hint: a leading zero is ambiguous (YAML 1.1 reads 010 as the octal number 8): write 10\n");
}

TEST_CASE("locations are 1-based lines and columns (yaml-cpp's marks are 0-based)") {
  const InputError error = failure("drivrs: {a: 1}\n");
  CHECK(error.where().line == 1);
  CHECK(error.where().column == 1);
  // Columns count bytes, as the caret line does: "é" is two.
  const InputError after_accent = failure("name: t\ndescription: \"é\"\ndrivers: {a: x}\n");
  CHECK(after_accent.where().line == 3);
  CHECK(after_accent.where().column == 14);
}

TEST_CASE("nesting is bounded: 100,000 levels are refused at level 33, not by a stack overflow") {
  // yaml-cpp's own limit (500 levels) says only "bad file".
  for (const auto& [open, close] : {std::pair{"[", "]"}, std::pair{"{a: ", "}"}}) {
    std::string text = "a: ";
    for (int i = 0; i < 100'000; ++i) text += open;
    for (int i = 0; i < 100'000; ++i) text += close;
    const InputError error = failure(text);
    CHECK(error.message() == "nested deeper than 32 levels");
    CHECK(error.where().line == 1);
    CHECK(error.hint() == "a scenario needs only a few levels; check for unclosed brackets");
  }
  std::string block;  // "- - - ... x": a block sequence per level, on one line
  for (int i = 0; i < 100'000; ++i) block += "- ";
  const InputError error = failure(block + "x\n");
  CHECK(error.message() == "nested deeper than 32 levels");
  CHECK(error.where().column == 65);
}

TEST_CASE("memory is bounded: 4 MB of unclosed brackets is refused without queueing a token per byte") {
  // Unbounded, yaml-cpp's scanner queues every `[` (about 240 bytes each) before its parser sees one.
  const InputError error = failure(std::string(max_scenario_bytes, '['));
  CHECK(error.message() == "cannot read this YAML: more than 262144 bytes without a complete value");
  CHECK(error.hint() == "check for an unclosed quote or bracket");
}

TEST_CASE("a single value longer than the lookahead bound is refused, not truncated") {
  const InputError error = failure("name: t\ndescription: " + std::string(300'000, 'x') + "\ndrivers: {a: 1}\n");
  CHECK(error.message() == "cannot read this YAML: more than 262144 bytes without a complete value");
  CHECK(error.where().line == 2);
}

TEST_CASE("comments and blank lines do not count towards the lookahead bound") {
  std::string comments;
  for (int i = 0; i < 3'000; ++i) comments += "# " + std::string(95, 'x') + "\n";  // 294 KB
  const std::string file = "name: t\ndrivers:\n  a: 1\n" + comments + std::string(300'000, '\n') + "metrics:\n  b: a * 2\n";
  const Scenario scenario = parse_scenario(file, "x.yaml");
  REQUIRE(scenario.metrics.size() == 1);
  CHECK(scenario.metrics[0].where.line == 3'000 + 300'000 + 5);
}

TEST_CASE("the number of values is bounded") {
  std::string values;
  for (int i = 0; i < 100'001; ++i) values += "1,";
  const InputError error = failure("name: t\ndrivers: {d: {dist: discrete, values: [" + values + "1]}}\n");
  CHECK(error.message() == "more than 100000 YAML values");
  CHECK(error.hint() == "a scenario holds at most a few thousand values");
}

TEST_CASE("tags are refused") {
  CHECK(error_of("name: !!str t\ndrivers: {a: 1}\n") ==
        "x.yaml:1:7: error: YAML tags are not supported\n"
        "    name: !!str t\n"
        "          ^~~~~\n"
        "hint: write the value without a tag (quote it to make it text)\n");
}

TEST_CASE("control characters are refused, including the lone CR and NUL yaml-cpp drops") {
  const auto& [text, message] = GENERATE(table<std::string, std::string>({
      {std::string("name: t\0\ndrivers: {a: 1}\n", 24), "control character U+0000 at line 1, column 8"},
      {"name: t\rdrivers: {a: 1}\n", "control character U+000D at line 1, column 8"},
      {"name: t\x1b[0m\ndrivers: {a: 1}\n", "control character U+001B at line 1, column 8"},
      {"name: t\xc2\x85\ndrivers: {a: 1}\n", "control character U+0085 at line 1, column 8"},
  }));
  CHECK(error_of(text) == "x.yaml: error: " + message +
                              "\nhint: only printable text, tabs and line ends (LF or CRLF) are allowed\n");
}

TEST_CASE("overlong and surrogate UTF-8 sequences are refused") {
  CHECK(error_of("name: \xc0\xaf\n") == "x.yaml: error: not valid UTF-8: byte 0xC0 at line 1, column 7\nhint: save the file as UTF-8\n");
  CHECK(error_of("name: \xed\xa0\x80\n") == "x.yaml: error: not valid UTF-8: byte 0xED at line 1, column 7\nhint: save the file as UTF-8\n");
}

TEST_CASE("files that cannot be read are named with the system's reason") {
  const std::string missing = load_test::data_path("no_such_file.yaml");
  const std::string directory = load_test::data_path("good");
  const auto message = [](const std::string& path) {
    try {
      load_scenario(path);
    } catch (const InputError& error) {
      return error.render();
    }
    return std::string("loaded");
  };
  CHECK(message(missing) == missing + ": error: cannot read the file: No such file or directory\n");
  CHECK(message(directory) == directory + ": error: cannot read the file: Is a directory\n");

  const std::filesystem::path unreadable = std::filesystem::temp_directory_path() / "guidance_test_unreadable.yaml";
  std::ofstream(unreadable) << "name: t\n";
  std::filesystem::permissions(unreadable, std::filesystem::perms::none);
  if (::geteuid() != 0) {  // root reads it anyway
    CHECK(message(unreadable) == unreadable.string() + ": error: cannot read the file: Permission denied\n");
  }
  std::filesystem::remove(unreadable);
}

TEST_CASE("a file over the size limit is refused by its size, without reading it") {
  // A sparse 100 MB file: refused from its size alone.
  const std::filesystem::path huge = std::filesystem::temp_directory_path() / "guidance_test_huge.yaml";
  std::ofstream(huge).close();
  std::filesystem::resize_file(huge, 100'000'000);
  try {
    load_scenario(huge.string());
    FAIL("loaded");
  } catch (const InputError& error) {
    CHECK(error.render() == huge.string() +
                                ": error: the file is 100000000 bytes, more than the limit of 4194304 bytes\n"
                                "hint: a scenario file is a few kilobytes; is this the right file?\n");
  }
  std::filesystem::remove(huge);
  // A device without a size: read up to the limit, then refused (an unbounded read would never end).
  try {
    load_scenario("/dev/zero");
    FAIL("loaded");
  } catch (const InputError& error) {
    CHECK(error.message() == "the file is larger than the limit of 4194304 bytes");
  }
  CHECK(error_of(std::string(max_scenario_bytes + 1, ' ')) ==
        "x.yaml: error: the file is 4194305 bytes, more than the limit of 4194304 bytes\n"
        "hint: a scenario file is a few kilobytes; is this the right file?\n");
}

TEST_CASE("a key longer than YAML allows is named as such, not taken for a value needing quotes") {
  const std::string longest(1024, 'a');
  CHECK(error_of("name: t\ndrivers:\n  " + longest + ": 5\n") == "loaded");
  const std::string error = error_of("name: t\ndrivers:\n  " + longest + "b: 5\n");
  CHECK_THAT(error, StartsWith("x.yaml:3:1028: error: invalid YAML: illegal map value\n"));
  CHECK_THAT(error, EndsWith("\nhint: a key is at most 1024 characters long in YAML: use a shorter name\n"));
}
