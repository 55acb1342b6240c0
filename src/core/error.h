// Error policy (one for the whole code base):
//  * Problems found in *input data* (a bad row, a wrong encoding, an unknown value) are values:
//    ingest code collects them as `Problem`s and keeps going, so a user sees every problem of a
//    file at once. They never throw.
//  * Everything else that stops an operation (I/O failure, SQL error, invalid argument, broken
//    invariant) throws an `hrtrack::Error` (or a subclass). Exceptions are caught at the two
//    edges only: the CLI's main() (message to stderr, non-zero exit) and, later, the HTTP
//    dispatcher (JSON/HTML error page). Nothing in between swallows them.
#pragma once
#include <stdexcept>
#include <string>

namespace hrtrack {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The caller asked for something that does not make sense (bad option, unknown format, ...).
class InvalidArgument : public Error {
 public:
  using Error::Error;
};

// The thing asked for does not exist.
class NotFound : public Error {
 public:
  using Error::Error;
};

// Storage failed (SQLite error, migration failure, ...).
class StoreError : public Error {
 public:
  using Error::Error;
};

// Another writer held the database for longer than the caller may wait (an import, another
// command). Nothing of the operation was written; it can be tried again after
// retry_after_seconds(). The HTTP layer answers 503 with Retry-After.
class StoreBusy : public StoreError {
 public:
  StoreBusy(const std::string& what, int retry_after_seconds)
      : StoreError(what), retry_after_(retry_after_seconds) {}
  int retry_after_seconds() const { return retry_after_; }

 private:
  int retry_after_;
};

// One problem found in an input file. `row` is 1-based as a user counts data rows in a
// spreadsheet (the header is row 1, the first data row is row 2) for tabular files, and the
// 1-based record index for JSON arrays; 0 means "the file as a whole".
struct Problem {
  std::string file;
  long row = 0;
  std::string column;  // column or field name, empty when the problem is about the whole row
  std::string value;   // offending value, shortened for display
  std::string reason;
  bool warning = false;  // warnings are reported but do not reject the row

  std::string to_string() const;
};

}  // namespace hrtrack
