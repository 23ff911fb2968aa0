#pragma once
// CpuWork: where work too slow for an io thread runs. Key stretching is the case: PBKDF2 at
// 4096 iterations takes 1.3-1.6 ms of CPU per hash, and an io thread that spends it serves
// none of its other sessions meanwhile (a PLAIN login, an in-band registration, a password
// change). The adapters hand such work over and post the result back to the session.
#include <functional>

namespace parley::api {

class CpuWork {
 public:
  virtual ~CpuWork() = default;
  // Thread-safe; returns at once. Runs `work` later on another thread. false when the work is
  // not accepted (too much is queued already, or the pool is stopping): `work` is dropped
  // without running and the caller answers "try again later" itself.
  [[nodiscard]] virtual bool submit(std::function<void()> work) = 0;
};

}  // namespace parley::api
