#pragma once
// A compliance outbox that records what services append (inside their store jobs, on the store
// thread; tests read it from their own thread, hence the lock) and can be made to fail, so a
// test shows that a failing append rolls the action back.
#include <mutex>
#include <stdexcept>
#include <vector>

#include "gateway/api/compliance.hpp"

namespace parley::fakes {

class RecordingOutbox final : public api::ComplianceOutbox {
 public:
  void append(const api::ComplianceEvent& event) override {
    std::lock_guard lock(mutex_);
    if (failing_) throw std::runtime_error("outbox unavailable");
    events_.push_back(event);
  }
  std::vector<api::ComplianceEvent> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }
  std::vector<api::ComplianceEvent> of(api::ComplianceEventKind kind) const {
    std::vector<api::ComplianceEvent> out;
    for (auto& e : events()) {
      if (e.kind == kind) out.push_back(e);
    }
    return out;
  }
  void fail(bool failing) {
    std::lock_guard lock(mutex_);
    failing_ = failing;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<api::ComplianceEvent> events_;
  bool failing_ = false;
};

}  // namespace parley::fakes
