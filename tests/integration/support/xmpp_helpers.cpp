#include "tests/integration/support/xmpp_helpers.hpp"

#include <stdexcept>

namespace parley::it {

std::string bare_of(const std::string& jid) {
  return jid.substr(0, jid.find('/'));
}

XmlNode chat(const std::string& to, const std::string& body) {
  XmlNode message("message");
  message.set("to", to).set("type", "chat").append(XmlNode("body").set_text(body));
  return message;
}

XmlNode presence(const std::string& to, const std::string& type) {
  XmlNode p("presence");
  if (!to.empty()) p.set("to", to);
  if (!type.empty()) p.set("type", type);
  return p;
}

XmlNode roster_get(const std::string& ver, bool with_ver) {
  XmlNode query("query", std::string(kNsRoster));
  if (with_ver) query.set("ver", ver);
  XmlNode iq("iq");
  iq.set("type", "get").append(std::move(query));
  return iq;
}

XmlNode roster_set(const std::string& jid, const std::string& name) {
  XmlNode item("item", std::string(kNsRoster));
  item.set("jid", jid);
  if (!name.empty()) item.set("name", name);
  XmlNode iq("iq");
  iq.set("type", "set").append(XmlNode("query", std::string(kNsRoster)).append(std::move(item)));
  return iq;
}

Match message_with_body(const std::string& body) {
  return [body](const XmlNode& n) { return n.name() == "message" && n.child_text("body") == body; };
}

Match presence_from(const std::string& bare_jid, const std::string& type) {
  return [bare_jid, type](const XmlNode& n) {
    return n.name() == "presence" && bare_of(n.attr_or("from")) == bare_jid &&
           n.attr_or("type") == type;
  };
}

Match roster_push_for(const std::string& bare_jid) {
  return [bare_jid](const XmlNode& n) {
    return n.name() == "iq" && n.attr_or("type") == "set" && roster_item(n, bare_jid) != nullptr;
  };
}

Match iq_with_id(const std::string& id) {
  return [id](const XmlNode& n) { return n.name() == "iq" && n.attr_or("id") == id; };
}

const XmlNode* roster_item(const XmlNode& iq, const std::string& contact) {
  const XmlNode* query = iq.child("query", kNsRoster);
  if (!query) return nullptr;
  for (const auto& item : query->children()) {
    if (item.name() == "item" && item.attr_or("jid") == contact) return &item;
  }
  return nullptr;
}

std::string stanza_error_condition(const XmlNode& stanza) {
  const XmlNode* error = stanza.child("error");
  if (!error) return {};
  for (const auto& c : error->children()) {
    if (c.ns() == kNsStanzas && c.name() != "text") return c.name();
  }
  return {};
}

std::unique_ptr<StropheClient> login(const ParleydProcess& daemon, const Account& account,
                                     const LoginOptions& options) {
  auto client = std::make_unique<StropheClient>(StropheOptions{
      .jid = account.jid + "/" + options.resource,
      .password = account.password,
      .port = options.direct_tls ? daemon.direct_tls_port() : daemon.c2s_port(),
      .direct_tls = options.direct_tls,
      .stream_management = options.stream_management,
  });
  if (!client->connect()) {
    throw std::runtime_error("login failed: " + client->failure_description());
  }
  return client;
}

std::unique_ptr<StropheClient> online(const ParleydProcess& daemon, const Account& account,
                                      const LoginOptions& options) {
  auto client = login(daemon, account, options);
  auto roster = client->iq(roster_get());
  if (!roster || roster->attr_or("type") != "result") {
    throw std::runtime_error("roster get failed for " + account.jid + ": " +
                             (roster ? roster->to_string() : std::string("no reply")));
  }
  client->send(presence());
  const std::string full = client->bound_jid();
  expect(
      *client,
      [&](const XmlNode& n) { return n.name() == "presence" && n.attr_or("from") == full; },
      "the reflection of " + full + "'s initial presence (RFC 6121 §4.2.2)");
  return client;
}

Bystanders::Bystanders(ParleydProcess& daemon)
    : receiver_(daemon.new_account("bystander")), sender_(daemon.new_account("sender")) {
  receiver_client_ = online(daemon, receiver_, {.resource = "watch"});
  sender_client_ = online(daemon, sender_, {.resource = "talk"});
}

void Bystanders::check_still_served(const std::string& tag) {
  const std::string body = "still here after " + tag;
  sender_client_->send(chat(receiver_.jid, body));
  expect(*receiver_client_, message_with_body(body), "'" + body + "'");
  if (!receiver_client_->connected() || !sender_client_->connected()) {
    throw std::runtime_error("a bystander session was dropped after " + tag);
  }
}

XmlNode expect(StropheClient& client, const Match& match, const std::string& what) {
  auto node = client.wait_for(match);
  if (!node) {
    throw std::runtime_error("timed out waiting for " + what + " (" + client.failure_description() +
                             "); queued instead:\n" + client.dump_queue());
  }
  return *node;
}

}  // namespace parley::it
