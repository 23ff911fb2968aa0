#include "adapters/xmpp/outbox.hpp"

#include <utility>

namespace parley::xmpp {

namespace {

template <typename Vector>
void release_if_large(Vector& v, std::size_t keep) {
  if (v.capacity() > keep) Vector().swap(v);
}

void add_buffer(std::vector<boost::asio::const_buffer>& buffers, const std::string& bytes) {
  if (!bytes.empty()) buffers.emplace_back(bytes.data(), bytes.size());
}

}  // namespace

void Outbox::push(std::string bytes) {
  queued_.push_back(Item{std::move(bytes), nullptr, nullptr, nullptr});
}

void Outbox::push_shared(Shared head, Shared middle, Shared tail) {
  queued_.push_back(Item{{}, std::move(head), std::move(middle), std::move(tail)});
}

const std::vector<boost::asio::const_buffer>& Outbox::begin_gather_write() {
  writing_.swap(queued_);
  buffers_.clear();
  for (const Item& item : writing_) {
    if (!item.head) {
      add_buffer(buffers_, item.bytes);
      continue;
    }
    add_buffer(buffers_, *item.head);
    if (item.middle) add_buffer(buffers_, *item.middle);
    if (item.tail) add_buffer(buffers_, *item.tail);
  }
  return buffers_;
}

const std::string& Outbox::begin_joined_write() {
  writing_.swap(queued_);
  joined_.clear();
  for (const Item& item : writing_) {
    if (!item.head) {
      joined_ += item.bytes;
      continue;
    }
    joined_ += *item.head;
    if (item.middle) joined_ += *item.middle;
    if (item.tail) joined_ += *item.tail;
  }
  return joined_;
}

void Outbox::end_write() {
  writing_.clear();
  buffers_.clear();
  joined_.clear();
  release_if_large(writing_, kKeepItems);
  if (queued_.empty()) release_if_large(queued_, kKeepItems);
  release_if_large(buffers_, 4 * kKeepItems);
  if (joined_.capacity() > kKeepBytes) std::string().swap(joined_);
}

std::size_t Outbox::retained_bytes() const {
  return (queued_.capacity() + writing_.capacity()) * sizeof(Item) +
         buffers_.capacity() * sizeof(boost::asio::const_buffer) + joined_.capacity();
}

}  // namespace parley::xmpp
