#pragma once
// Outbox: the bytes queued for one session's writer, and the batch being written.
//
// Every write takes EVERYTHING queued (one async_write in flight, ARCHITECTURE.md). On plain
// TCP the batch goes out as a gather list (writev): a stanza shared by many recipients (MUC
// fan-out, wire::SharedStanza) is written straight from its shared bytes, never copied per
// recipient. On TLS the batch is joined into one buffer first, because asio's SSL stream
// encrypts one buffer of a sequence per record and small records would multiply.
//
// Idle sessions keep nothing: the containers are vectors (an empty std::deque allocates) and
// large capacities are released once a batch is written.
#include <boost/asio/buffer.hpp>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace parley::xmpp {

class Outbox {
 public:
  using Shared = std::shared_ptr<const std::string>;

  void push(std::string bytes);
  // head + middle + tail, all shared (nothing is copied).
  void push_shared(Shared head, Shared middle, Shared tail);

  std::size_t size() const { return queued_.size(); }  // stanzas waiting (not in flight)
  bool empty() const { return queued_.empty(); }
  void clear() { queued_.clear(); }
  // Heap held by the containers themselves (not the stanza bytes), for memory checks.
  std::size_t retained_bytes() const;

  // Moves everything queued into the in-flight batch. Requires !empty() and no batch in
  // flight. The returned buffers stay valid until end_write().
  const std::vector<boost::asio::const_buffer>& begin_gather_write();
  const std::string& begin_joined_write();
  // The batch was written (or failed): drop it.
  void end_write();

 private:
  struct Item {
    std::string bytes;  // used when head is null
    Shared head;
    Shared middle;
    Shared tail;
  };
  // Capacities above these are released after a batch, so a burst does not stay resident.
  static constexpr std::size_t kKeepItems = 64;
  static constexpr std::size_t kKeepBytes = 16 * 1024;

  std::vector<Item> queued_;
  std::vector<Item> writing_;
  std::vector<boost::asio::const_buffer> buffers_;
  std::string joined_;
};

}  // namespace parley::xmpp
