#include "adapters/xmpp/session_registry.hpp"

#include <utility>

namespace parley::xmpp {

void SessionRegistry::add(std::shared_ptr<XmppSession> session) {
  std::lock_guard lock(mutex_);
  const XmppSession* key = session.get();
  sessions_.emplace(key, std::move(session));
}

void SessionRegistry::remove(const XmppSession* session) {
  std::function<void()> done;
  std::shared_ptr<XmppSession> last_ref;  // released outside the lock
  {
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(session);
    if (it == sessions_.end()) return;
    last_ref = std::move(it->second);
    sessions_.erase(it);
    if (sessions_.empty() && when_empty_) done = std::exchange(when_empty_, nullptr);
  }
  if (done) done();
}

std::vector<std::shared_ptr<XmppSession>> SessionRegistry::snapshot() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<XmppSession>> out;
  out.reserve(sessions_.size());
  for (const auto& [key, session] : sessions_) out.push_back(session);
  return out;
}

std::size_t SessionRegistry::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

void SessionRegistry::when_empty(std::function<void()> done) {
  {
    std::lock_guard lock(mutex_);
    if (!sessions_.empty()) {
      when_empty_ = std::move(done);
      return;
    }
  }
  if (done) done();
}

void SessionRegistry::add_resumable(const std::string& id, const std::string& owner,
                                    std::weak_ptr<XmppSession> session) {
  std::lock_guard lock(mutex_);
  resumable_[id] = Resumable{owner, std::move(session)};
}

std::shared_ptr<XmppSession> SessionRegistry::take_resumable(std::string_view id,
                                                             std::string_view owner) {
  std::lock_guard lock(mutex_);
  auto it = resumable_.find(id);
  if (it == resumable_.end() || it->second.owner != owner) return nullptr;
  auto session = it->second.session.lock();
  resumable_.erase(it);
  return session;
}

bool SessionRegistry::remove_resumable(std::string_view id, const XmppSession* session) {
  std::lock_guard lock(mutex_);
  auto it = resumable_.find(id);
  if (it == resumable_.end()) return false;
  auto current = it->second.session.lock();
  if (!current) {
    resumable_.erase(it);  // a stale entry: its session is gone
    return false;
  }
  if (current.get() != session) return false;
  resumable_.erase(it);
  return true;
}

}  // namespace parley::xmpp
