// A database file in the temporary folder named after the running test, removed afterwards
// with its WAL files and its evidence folder.
#pragma once
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

struct TempDb {
  std::string path;
  TempDb() {
    path = (std::filesystem::temp_directory_path() /
            ("hrtrack-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_suite()->name() + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db"))
               .string();
    std::filesystem::remove(path);
  }
  ~TempDb() {
    for (auto ext : {"", "-wal", "-shm"}) std::filesystem::remove(path + ext);
    std::filesystem::remove_all(path + "-evidence");
  }
  TempDb(const TempDb&) = delete;
  TempDb& operator=(const TempDb&) = delete;
};
