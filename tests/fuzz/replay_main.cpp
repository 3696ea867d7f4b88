// tests/fuzz/replay_main.cpp — runs a fuzz target's function over files, without
// libFuzzer: how the regular (GCC) test suite replays the seed corpus and every
// regression input. Arguments: files or directories (read non-recursively); after
// --valid, every input must also be accepted by the loader (the seed corpus:
// a seed that no longer loads, e.g. after a format change, is stale).
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" bool tower_fuzz_accepts(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
  std::size_t runs = 0;
  bool valid = false;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--valid") {
      valid = true;
      continue;
    }
    std::vector<std::filesystem::path> files;
    if (std::filesystem::is_directory(argv[i])) {
      for (const auto& e : std::filesystem::directory_iterator(argv[i])) {
        if (e.is_regular_file() && e.path().filename() != "README.md") files.push_back(e.path());
      }
    } else {
      files.emplace_back(argv[i]);
    }
    for (const auto& f : files) {
      std::ifstream in(f, std::ios::binary);
      if (!in) {
        std::fprintf(stderr, "replay: cannot read %s\n", f.c_str());
        return 2;
      }
      const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
      if (valid && !tower_fuzz_accepts(bytes.data(), bytes.size())) {
        std::fprintf(stderr, "replay: %s is a seed but does not load (stale corpus? rerun make_fuzz_corpus)\n",
                     f.c_str());
        return 1;
      }
      ++runs;
    }
  }
  std::printf("replay: %zu inputs, no failure\n", runs);
  return runs == 0 ? 1 : 0;  // an empty corpus is a mistake, not a pass
}
