#include "tests/integration/support/sip_client.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <random>
#include <sstream>
#include <stdexcept>
#include <system_error>

namespace parley::it {
namespace {

using Clock = std::chrono::steady_clock;

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return std::string(s);
}

// RFC 3261 §7.3.3 compact forms.
std::string_view long_name(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 13> kCompact = {{
      {"v", "Via"},
      {"f", "From"},
      {"t", "To"},
      {"i", "Call-ID"},
      {"m", "Contact"},
      {"l", "Content-Length"},
      {"c", "Content-Type"},
      {"k", "Supported"},
      {"e", "Content-Encoding"},
      {"s", "Subject"},
      {"o", "Event"},
      {"u", "Allow-Events"},
      {"x", "Session-Expires"},
  }};
  for (const auto& [s, l] : kCompact) {
    if (iequals(name, s)) return l;
  }
  return name;
}

bool same_header(std::string_view a, std::string_view b) {
  return iequals(long_name(a), long_name(b));
}

bool is_list_header(std::string_view name) {
  for (std::string_view n : {"Via", "Contact", "Route", "Record-Route"}) {
    if (same_header(name, n)) return true;
  }
  return false;
}

// Splits at commas outside quotes and angle brackets.
std::vector<std::string> split_list(std::string_view value) {
  std::vector<std::string> out;
  bool quoted = false;
  int angle = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (c == '"' && (i == 0 || value[i - 1] != '\\')) quoted = !quoted;
    if (!quoted && c == '<') ++angle;
    if (!quoted && c == '>') --angle;
    if (!quoted && angle == 0 && c == ',') {
      out.push_back(trim(value.substr(start, i - start)));
      start = i + 1;
    }
  }
  std::string last = trim(value.substr(start));
  if (!last.empty()) out.push_back(std::move(last));
  return out;
}

std::string hex_digest(const std::string& algorithm, const std::string& data) {
  const EVP_MD* md = iequals(algorithm, "SHA-256") ? EVP_sha256() : EVP_md5();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, md, nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

std::string quoted(const std::string& s) {
  return "\"" + s + "\"";
}

std::string uri_of(std::string_view name_addr) {
  auto open = name_addr.find('<');
  if (open != std::string_view::npos) {
    auto close = name_addr.find('>', open);
    return std::string(name_addr.substr(open + 1, close - open - 1));
  }
  return trim(name_addr.substr(0, name_addr.find(';')));
}

}  // namespace

// ---------------- SipMsg ----------------

std::string SipMsg::header(std::string_view name) const {
  auto all = headers_named(name);
  return all.empty() ? std::string() : all.front();
}

std::vector<std::string> SipMsg::headers_named(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [n, v] : headers) {
    if (!same_header(n, name)) continue;
    if (is_list_header(name)) {
      for (auto& part : split_list(v)) out.push_back(std::move(part));
    } else {
      out.push_back(v);
    }
  }
  return out;
}

bool SipMsg::has_header(std::string_view name) const {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& h) { return same_header(h.first, name); });
}

SipMsg& SipMsg::set(std::string name, std::string value) {
  remove(name);
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

SipMsg& SipMsg::add(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

void SipMsg::remove(std::string_view name) {
  std::erase_if(headers, [&](const auto& h) { return same_header(h.first, name); });
}

std::string SipMsg::cseq_method() const {
  std::string cseq = header("CSeq");
  auto space = cseq.find(' ');
  return space == std::string::npos ? std::string() : trim(cseq.substr(space + 1));
}

std::string SipMsg::serialize() const {
  std::string out = is_request ? method + " " + uri + " SIP/2.0\r\n"
                               : "SIP/2.0 " + std::to_string(status) + " " + reason + "\r\n";
  for (const auto& [n, v] : headers) {
    if (same_header(n, "Content-Length")) continue;
    out += n + ": " + v + "\r\n";
  }
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  out += body;
  return out;
}

std::optional<SipMsg> SipMsg::parse(std::string_view text, bool complete) {
  auto end = text.find("\r\n\r\n");
  std::size_t sep = 4;
  if (end == std::string_view::npos) {
    end = text.find("\n\n");
    sep = 2;
  }
  if (end == std::string_view::npos) return std::nullopt;
  std::string_view head = text.substr(0, end);
  SipMsg m;
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos <= head.size()) {
    auto nl = head.find('\n', pos);
    std::string line(head.substr(pos, nl == std::string_view::npos ? head.size() - pos : nl - pos));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!lines.empty() && !line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      lines.back() += " " + trim(line);  // RFC 3261 §7.3.1 folding
    } else {
      lines.push_back(std::move(line));
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  if (lines.empty()) return std::nullopt;
  std::istringstream start(lines[0]);
  std::string a, b;
  start >> a >> b;
  if (a == "SIP/2.0") {
    m.is_request = false;
    try {
      m.status = std::stoi(b);
    } catch (const std::exception&) {
      return std::nullopt;
    }
    auto reason_pos = lines[0].find(b) + b.size();
    m.reason = trim(std::string_view(lines[0]).substr(reason_pos));
  } else {
    std::string version;
    start >> version;
    if (version != "SIP/2.0") return std::nullopt;
    m.method = a;
    m.uri = b;
  }
  for (std::size_t i = 1; i < lines.size(); ++i) {
    auto colon = lines[i].find(':');
    if (colon == std::string::npos) return std::nullopt;
    m.headers.emplace_back(trim(std::string_view(lines[i]).substr(0, colon)),
                           trim(std::string_view(lines[i]).substr(colon + 1)));
  }
  std::string_view body = text.substr(end + sep);
  std::string length = m.header("Content-Length");
  if (!length.empty() && complete) {
    std::size_t n = 0;
    try {
      n = std::stoul(length);
    } catch (const std::exception&) {
      return std::nullopt;
    }
    if (n > body.size()) return std::nullopt;
    body = body.substr(0, n);
  }
  m.body = std::string(body);
  return m;
}

std::string SipMsg::summary() const {
  std::string s = is_request ? method + " " + uri : std::to_string(status) + " " + reason;
  s += " (CSeq " + header("CSeq") + ", Call-ID " + header("Call-ID") + ")";
  return s;
}

std::string header_param(std::string_view value, std::string_view name) {
  // Parameters after the URI: skip a <...> part first so URI parameters do not count.
  auto close = value.find('>');
  std::string_view rest = close == std::string_view::npos ? value : value.substr(close + 1);
  std::size_t pos = 0;
  while ((pos = rest.find(';', pos)) != std::string_view::npos) {
    ++pos;
    auto next = rest.find(';', pos);
    std::string_view p =
        rest.substr(pos, next == std::string_view::npos ? rest.size() - pos : next - pos);
    auto eq = p.find('=');
    if (iequals(trim(p.substr(0, eq)), name)) {
      if (eq == std::string_view::npos) return {};
      std::string v = trim(p.substr(eq + 1));
      if (v.size() >= 2 && v.front() == '"') v = v.substr(1, v.size() - 2);
      return v;
    }
  }
  return {};
}

std::string auth_param(std::string_view value, std::string_view name) {
  auto space = value.find(' ');
  std::string_view params = space == std::string_view::npos ? value : value.substr(space + 1);
  for (const std::string& part : split_list(params)) {
    auto eq = part.find('=');
    if (eq == std::string::npos || !iequals(trim(part.substr(0, eq)), name)) continue;
    std::string v = trim(std::string_view(part).substr(eq + 1));
    if (v.size() >= 2 && v.front() == '"') v = v.substr(1, v.size() - 2);
    return v;
  }
  return {};
}

// ---------------- SipClient ----------------

SipClient::SipClient(SipClientOptions options) : options_(std::move(options)) {
  const bool tcp = options_.transport == SipTransport::tcp;
  fd_ = ::socket(AF_INET, (tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "socket");
  sockaddr_in local{};
  local.sin_family = AF_INET;
  local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  local.sin_port = 0;  // kernel-chosen
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
    ::close(fd_);
    throw std::system_error(errno, std::generic_category(), "bind");
  }
  sockaddr_in server{};
  server.sin_family = AF_INET;
  server.sin_port = htons(options_.server_port);
  ::inet_pton(AF_INET, options_.server_host.c_str(), &server.sin_addr);
  // UDP too: connect() fixes the peer, so only the server's datagrams are read.
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&server), sizeof server) != 0) {
    int e = errno;
    ::close(fd_);
    throw std::system_error(e, std::generic_category(),
                            "connect to SIP port " + std::to_string(options_.server_port));
  }
  socklen_t len = sizeof local;
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&local), &len);
  local_port_ = ntohs(local.sin_port);
  if (::pipe2(wake_, O_CLOEXEC) != 0) {
    ::close(fd_);
    throw std::system_error(errno, std::generic_category(), "pipe");
  }
  reader_ = std::thread([this] { reader(); });
}

SipClient::~SipClient() {
  char c = 'q';
  [[maybe_unused]] auto n = ::write(wake_[1], &c, 1);
  if (reader_.joinable()) reader_.join();
  ::close(wake_[0]);
  ::close(wake_[1]);
  ::close(fd_);
}

std::string SipClient::aor() const {
  return "sip:" + options_.user + "@" + options_.domain;
}

std::string SipClient::contact_uri() const {
  std::string uri = "sip:" + options_.user + "@127.0.0.1:" + std::to_string(local_port_);
  if (options_.transport == SipTransport::tcp) uri += ";transport=tcp";
  return uri;
}

std::string SipClient::new_token() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  std::lock_guard lock(mutex_);
  std::ostringstream out;
  out << std::hex << rng() << ++counter_;
  return out.str();
}

SipMsg SipClient::request(const std::string& method, const std::string& request_uri,
                          const std::string& to_uri) {
  SipMsg m;
  m.method = method;
  m.uri = request_uri;
  const char* transport = options_.transport == SipTransport::tcp ? "TCP" : "UDP";
  m.add("Via", std::string("SIP/2.0/") + transport + " 127.0.0.1:" + std::to_string(local_port_) +
                   ";branch=z9hG4bK" + new_token() + ";rport");
  m.add("Max-Forwards", "70");
  m.add("From", "<" + aor() + ">;tag=" + new_token());
  m.add("To", "<" + to_uri + ">");
  m.add("Call-ID", new_token() + "@127.0.0.1");
  std::uint32_t cseq = 0;
  {
    std::lock_guard lock(mutex_);
    cseq = cseq_++;
  }
  m.add("CSeq", std::to_string(cseq) + " " + method);
  m.add("Contact", "<" + contact_uri() + ">");
  m.add("User-Agent", "parley-it-sip-client");
  return m;
}

SipMsg SipClient::request_in_dialog(const std::string& method, const SipMsg& dialog_response) {
  std::string contact = dialog_response.header("Contact");
  std::string target = contact.empty() ? uri_of(dialog_response.header("To")) : uri_of(contact);
  SipMsg m = request(method, target, uri_of(dialog_response.header("To")));
  m.set("From", dialog_response.header("From"));
  m.set("To", dialog_response.header("To"));
  m.set("Call-ID", dialog_response.header("Call-ID"));
  return m;
}

void SipClient::write(const std::string& bytes) {
  std::lock_guard lock(write_mutex_);
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(), "send");
    }
    done += static_cast<std::size_t>(n);
    if (options_.transport == SipTransport::udp) break;  // one datagram
  }
}

void SipClient::send_raw(const std::string& bytes) {
  write(bytes);
}

std::optional<SipMsg> SipClient::wait_response(const std::function<bool(const SipMsg&)>& match,
                                               std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  std::optional<SipMsg> found;
  changed_.wait_for(lock, timeout, [&] {
    for (auto it = responses_.begin(); it != responses_.end(); ++it) {
      if (match(*it)) {
        found = std::move(*it);
        responses_.erase(it);
        return true;
      }
    }
    return false;
  });
  return found;
}

std::optional<SipMsg> SipClient::wait_response_to(const SipMsg& request,
                                                  std::chrono::milliseconds timeout) {
  const std::string call_id = request.header("Call-ID");
  const std::string cseq = request.header("CSeq");
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() < 0) return std::nullopt;
    auto r = wait_response(
        [&](const SipMsg& m) { return m.header("Call-ID") == call_id && m.header("CSeq") == cseq; },
        left);
    if (!r || r->status >= 200) return r;  // provisional responses are skipped
  }
}

std::optional<std::string> SipClient::credentials_for(const SipMsg& req, const SipMsg& challenge) {
  const bool proxy = challenge.status == 407;
  std::vector<std::string> offers =
      challenge.headers_named(proxy ? "Proxy-Authenticate" : "WWW-Authenticate");
  const std::string* chosen = nullptr;
  for (const auto& o : offers) {
    std::string algorithm = auth_param(o, "algorithm");
    if (algorithm.empty()) algorithm = "MD5";
    if (iequals(algorithm, options_.prefer_algorithm)) chosen = &o;
  }
  for (const auto& o : offers) {
    std::string algorithm = auth_param(o, "algorithm");
    if (!chosen &&
        (algorithm.empty() || iequals(algorithm, "MD5") || iequals(algorithm, "SHA-256"))) {
      chosen = &o;
    }
  }
  if (!chosen) return std::nullopt;
  std::string algorithm = auth_param(*chosen, "algorithm");
  if (algorithm.empty()) algorithm = "MD5";
  const std::string realm = auth_param(*chosen, "realm");
  const std::string nonce = auth_param(*chosen, "nonce");
  const std::string opaque = auth_param(*chosen, "opaque");
  const std::string qop = auth_param(*chosen, "qop");
  // RFC 7616 §3.4.1 (RFC 8760 for SIP): response = H(H(A1):nonce:nc:cnonce:qop:H(A2)).
  const std::string ha1 =
      hex_digest(algorithm, options_.user + ":" + realm + ":" + options_.password);
  const std::string ha2 = hex_digest(algorithm, req.method + ":" + req.uri);
  std::string value = "Digest username=" + quoted(options_.user) + ", realm=" + quoted(realm) +
                      ", nonce=" + quoted(nonce) + ", uri=" + quoted(req.uri);
  if (qop.find("auth") != std::string::npos) {
    char nc[9];
    {
      std::lock_guard lock(mutex_);
      std::snprintf(nc, sizeof nc, "%08x", ++nonce_count_);
    }
    const std::string cnonce = new_token();
    const std::string response =
        hex_digest(algorithm, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
    value += ", response=" + quoted(response) + ", algorithm=" + algorithm +
             ", cnonce=" + quoted(cnonce) + ", qop=auth, nc=" + nc;
  } else {
    value += ", response=" + quoted(hex_digest(algorithm, ha1 + ":" + nonce + ":" + ha2)) +
             ", algorithm=" + algorithm;
  }
  if (!opaque.empty()) value += ", opaque=" + quoted(opaque);
  return value;
}

std::optional<SipMsg> SipClient::send(SipMsg req, std::chrono::milliseconds timeout) {
  write(req.serialize());
  auto response = wait_response_to(req, timeout);
  if (!response || options_.password.empty() ||
      (response->status != 401 && response->status != 407)) {
    return response;
  }
  auto credentials = credentials_for(req, *response);
  if (!credentials) return response;
  // RFC 3261 §22.2: the retry is a new transaction: same Call-ID and tags, CSeq + 1.
  SipMsg retry = req;
  std::uint32_t cseq = 0;
  {
    std::lock_guard lock(mutex_);
    cseq = cseq_++;
  }
  retry.set("CSeq", std::to_string(cseq) + " " + req.method);
  const char* transport = options_.transport == SipTransport::tcp ? "TCP" : "UDP";
  retry.set("Via", std::string("SIP/2.0/") + transport + " 127.0.0.1:" +
                       std::to_string(local_port_) + ";branch=z9hG4bK" + new_token() + ";rport");
  retry.set(response->status == 407 ? "Proxy-Authorization" : "Authorization", *credentials);
  write(retry.serialize());
  return wait_response_to(retry, timeout);
}

std::optional<SipMsg> SipClient::register_contact(int expires, const std::string& instance) {
  SipMsg reg = request("REGISTER", "sip:" + options_.domain, aor());
  std::string contact = "<" + contact_uri() + ">";
  if (!instance.empty()) contact += ";+sip.instance=\"<urn:uuid:" + instance + ">\"";
  reg.set("Contact", contact);
  reg.set("Expires", std::to_string(expires));
  return send(std::move(reg));
}

std::optional<SipMsg> SipClient::wait_request(const std::function<bool(const SipMsg&)>& match,
                                              std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  std::optional<SipMsg> found;
  changed_.wait_for(lock, timeout, [&] {
    for (auto it = requests_.begin(); it != requests_.end(); ++it) {
      if (match(*it)) {
        found = std::move(*it);
        requests_.erase(it);
        return true;
      }
    }
    return false;
  });
  return found;
}

SipMsg SipClient::make_response(const SipMsg& request, int status,
                                const std::string& reason) const {
  SipMsg r;
  r.is_request = false;
  r.status = status;
  r.reason = reason;
  for (const std::string& via : request.headers_named("Via")) r.add("Via", via);
  r.add("From", request.header("From"));
  std::string to = request.header("To");
  if (header_param(to, "tag").empty()) to += ";tag=it" + std::to_string(local_port_);
  r.add("To", to);
  r.add("Call-ID", request.header("Call-ID"));
  r.add("CSeq", request.header("CSeq"));
  r.add("Contact", "<" + contact_uri() + ">");
  return r;
}

void SipClient::respond(const SipMsg& request, int status, const std::string& reason) {
  write(make_response(request, status, reason).serialize());
}

std::string SipClient::dump_queues() const {
  std::lock_guard lock(mutex_);
  std::string out = "responses:";
  for (const auto& r : responses_) out += "\n  " + r.summary();
  out += "\nrequests:";
  for (const auto& r : requests_) out += "\n  " + r.summary();
  return out;
}

void SipClient::dispatch(SipMsg message) {
  if (message.is_request && options_.auto_answer && message.method != "ACK") {
    try {
      respond(message, 200, "OK");
    } catch (const std::exception&) {
      // The connection is gone; the test sees the request anyway.
    }
  }
  {
    std::lock_guard lock(mutex_);
    auto& queue = message.is_request ? requests_ : responses_;
    if (queue.size() >= kMaxQueued) queue.pop_front();
    queue.push_back(std::move(message));
  }
  changed_.notify_all();
}

void SipClient::handle_bytes(const char* data, std::size_t size) {
  if (options_.transport == SipTransport::udp) {
    std::string_view datagram(data, size);
    if (datagram.find_first_not_of("\r\n") == std::string_view::npos) return;  // keep-alive
    if (auto m = SipMsg::parse(datagram)) dispatch(std::move(*m));
    return;
  }
  stream_buffer_.append(data, size);
  for (;;) {
    // RFC 5626 §4.4.1: CRLF keep-alives between messages.
    auto first = stream_buffer_.find_first_not_of("\r\n");
    stream_buffer_.erase(0, first == std::string::npos ? stream_buffer_.size() : first);
    auto end = stream_buffer_.find("\r\n\r\n");
    if (end == std::string::npos) return;
    // The header block alone, with its Content-Length taken off so parse() does not look
    // for a body that has not arrived yet.
    std::size_t length = 0;
    auto head = SipMsg::parse(std::string_view(stream_buffer_).substr(0, end + 4), false);
    if (head) {
      std::string l = head->header("Content-Length");
      try {
        length = l.empty() ? 0 : std::stoul(l);
      } catch (const std::exception&) {
        length = 0;
      }
    }
    std::size_t total = end + 4 + length;
    if (stream_buffer_.size() < total) return;
    if (auto m = SipMsg::parse(std::string_view(stream_buffer_).substr(0, total))) {
      dispatch(std::move(*m));
    }
    stream_buffer_.erase(0, total);
  }
}

void SipClient::reader() {
  std::vector<char> buffer(65536);
  for (;;) {
    pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0) return;
    if (fds[0].revents == 0) continue;
    ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), 0);
    if (n < 0) {
      if (errno == EINTR || errno == ECONNREFUSED) continue;  // UDP: ICMP unreachable
      return;
    }
    if (n == 0 && options_.transport == SipTransport::tcp) return;  // closed by the server
    handle_bytes(buffer.data(), static_cast<std::size_t>(n));
  }
}

}  // namespace parley::it
