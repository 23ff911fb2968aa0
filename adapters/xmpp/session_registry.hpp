#pragma once
// SessionRegistry: every live session of one XmppServer (for stop() and session_count()) and
// the XEP-0198 resumable sessions by stream-management id. Thread-safe; a session adds itself
// when accepted and removes itself once completely finished.
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace parley::xmpp {

class XmppSession;

class SessionRegistry {
 public:
  void add(std::shared_ptr<XmppSession> session);
  void remove(const XmppSession* session);
  std::vector<std::shared_ptr<XmppSession>> snapshot() const;
  std::size_t size() const;
  // `done` runs (on the calling thread, outside the lock) as soon as no session is left.
  void when_empty(std::function<void()> done);

  // ---- XEP-0198 §5 resumption ----
  // `owner` is the authenticated bare address: only the same account may resume (§5).
  void add_resumable(const std::string& id, const std::string& owner,
                     std::weak_ptr<XmppSession> session);
  // Removes and returns the session when `id` is known and owned by `owner`.
  std::shared_ptr<XmppSession> take_resumable(std::string_view id, std::string_view owner);
  // Removes the entry if it still points to `session`; false when somebody took it already.
  bool remove_resumable(std::string_view id, const XmppSession* session);

 private:
  struct Resumable {
    std::string owner;
    std::weak_ptr<XmppSession> session;
  };
  mutable std::mutex mutex_;
  std::unordered_map<const XmppSession*, std::shared_ptr<XmppSession>> sessions_;
  std::map<std::string, Resumable, std::less<>> resumable_;
  std::function<void()> when_empty_;
};

}  // namespace parley::xmpp
