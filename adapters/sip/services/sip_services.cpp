#include "adapters/sip/services/sip_services.hpp"

#include <boost/asio/post.hpp>

#include "adapters/sip/services/request_helpers.hpp"
#include "adapters/sip/services/services_impl.hpp"
#include "gateway/auth/scram.hpp"
#include "gateway/log/log.hpp"
#include "mapping/sip/content.hpp"

namespace parley::sip {
namespace {

constexpr std::chrono::seconds kSweepInterval{1};

}  // namespace

// ---- AccountEndpoint ----

void AccountEndpoint::deliver(api::Delivery delivery) {
  auto services = services_.lock();
  if (!services) return;
  // Bounded outbox: past the watermark the account's devices are too slow; drop and count
  // rather than queue without bound (messages for it are the core's to store next time).
  if (pending_.fetch_add(1, std::memory_order_relaxed) >= high_watermark_) {
    pending_.fetch_sub(1, std::memory_order_relaxed);
    PARLEY_LOG_WARN("sip", "", "endpoint_outbox_full", {{"account", full_.to_string()}});
    return;
  }
  boost::asio::post(services->ctx.strand, [services, self = shared_from_this(),
                                           delivery = std::move(delivery)]() mutable {
    self->delivered();
    services->on_delivery(self->full(), std::move(delivery));
  });
}

// ---- SipServicesImpl ----

SipServicesImpl::SipServicesImpl(SipServicesConfig config, api::Core& core,
                                 CredentialLookup& credentials,
                                 boost::asio::any_io_executor executor, Clock clock)
    : ctx(std::move(config), core, credentials, executor, std::move(clock), auth::random_bytes(32)),
      timer(ctx.strand) {}

void SipServicesImpl::dispatch(const std::shared_ptr<ServerTransaction>& transaction) {
  const SipMessage& request = transaction->request();
  const std::string& method = request.method;
  if (stopped) {
    SipMessage response = response_for(ctx, request, 503, "Shutting Down");
    response.add_header("Retry-After", std::to_string(ctx.config.retry_after.count()));
    transaction->respond(std::move(response));
    return;
  }
  if (method == "REGISTER") {
    registrar.on_register(transaction);
  } else if (method == "MESSAGE") {
    messages.on_message(transaction);
  } else if (method == "SUBSCRIBE") {
    subscribe.on_subscribe(transaction);
  } else if (method == "PUBLISH") {
    publish.on_publish(transaction);
  } else if (method == "INVITE") {
    invite.on_invite(transaction);
  } else if (method == "BYE") {
    invite.on_bye(transaction);
  } else if (method == "ACK") {
    return;  // for our 2xx to INVITE: nothing to do, and ACK is never answered
  } else if (method == "CANCEL") {
    // We answer INVITE at once, so there is nothing left to cancel (RFC 3261 §9.2).
    transaction->respond(response_for(ctx, request, 200));
  } else if (method == "OPTIONS") {
    options(*transaction);
  } else if (method == "NOTIFY") {
    // We send no SUBSCRIBE, so no NOTIFY can belong to a subscription of ours (RFC 6665 §4.1.3).
    transaction->respond(response_for(ctx, request, 481, "Subscription Does Not Exist"));
  } else {
    // RFC 3261 §21.4.6 / §21.5.2: 405 for a method SIP defines that we do not allow, 501 for
    // one we do not know; both with Allow.
    SipMessage response = response_for(ctx, request, is_known_method(method) ? 405 : 501);
    response.add_header("Allow", std::string(allowed_methods()));
    transaction->respond(std::move(response));
  }
  account_count.store(ctx.accounts.size(), std::memory_order_relaxed);
}

void SipServicesImpl::options(ServerTransaction& transaction) {
  // RFC 3261 §11.2: what we can do.
  SipMessage response = response_for(ctx, transaction.request(), 200);
  response.add_header("Allow", std::string(allowed_methods()));
  response.add_header("Accept", std::string(mapping::sip::accepted_content_types()) +
                                    ", application/pidf+xml, application/sdp");
  response.add_header("Allow-Events", "presence");
  response.add_header("Accept-Language", "en");
  transaction.respond(std::move(response));
}

void SipServicesImpl::on_delivery(const model::Address& full, api::Delivery delivery) {
  SipAccount* account = ctx.find_account(full.bare());
  if (!account || !account->endpoint || account->endpoint->full() != full) return;
  std::visit(
      [&](auto& d) {
        using T = std::decay_t<decltype(d)>;
        if constexpr (std::is_same_v<T, api::MessageDelivery>) {
          if (d.copy == api::CopyKind::none && d.message) messages.deliver(*account, *d.message);
        } else if constexpr (std::is_same_v<T, api::PresenceDelivery>) {
          if (d.presence) subscribe.on_presence(*account, *d.presence);
        } else if constexpr (std::is_same_v<T, api::CloseRequest>) {
          close_account(*account);
        }
        // Roster and block list pushes, opaque stanzas: SIP has no form for them.
      },
      delivery);
}

void SipServicesImpl::close_account(SipAccount& account) {
  // The core wants the endpoint gone (account removed, shutdown, conflict).
  subscribe.terminate_all(account, "deactivated");
  account.bindings.clear();
  account.publication.reset();
  account.dialogs.clear();
  ctx.refresh(account);
}

void SipServicesImpl::flow_closed(const Flow& flow) {
  registrar.on_flow_closed(flow);
  subscribe.on_flow_closed(flow);
}

void SipServicesImpl::sweep() {
  const auto now = ctx.now();
  registrar.sweep(now);
  publish.sweep(now);
  subscribe.sweep(now);
  invite.sweep(now);
  std::erase_if(ctx.accounts,
                [](const auto& entry) { return entry.second->idle() && !entry.second->endpoint; });
  account_count.store(ctx.accounts.size(), std::memory_order_relaxed);
}

void SipServicesImpl::schedule_sweep() {
  if (stopped) return;
  timer.expires_after(kSweepInterval);
  timer.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
    if (error || self->stopped) return;
    self->sweep();
    self->schedule_sweep();
  });
}

void SipServicesImpl::stop() {
  stopped = true;
  timer.cancel();
  for (auto& [bare, account] : ctx.accounts) close_account(*account);
  ctx.accounts.clear();
}

// ---- SipServices ----

SipServices::SipServices(boost::asio::any_io_executor executor, SipServicesConfig config,
                         api::Core& core, CredentialLookup& credentials, Clock clock)
    : impl_(std::make_shared<SipServicesImpl>(std::move(config), core, credentials,
                                              std::move(executor), std::move(clock))) {
  impl_->ctx.owner = impl_;
}

SipServices::~SipServices() = default;

void SipServices::attach(SipStack& stack) {
  impl_->ctx.stack = &stack;
}

void SipServices::attach_archive(const api::MessageArchive& archive) {
  impl_->ctx.archive = &archive;
}

void SipServices::start() {
  boost::asio::post(impl_->ctx.strand, [impl = impl_] { impl->schedule_sweep(); });
}

void SipServices::stop(std::function<void()> done) {
  boost::asio::post(impl_->ctx.strand, [impl = impl_, done = std::move(done)] {
    impl->stop();
    if (done) done();
  });
}

void SipServices::on_request(std::shared_ptr<ServerTransaction> transaction) {
  // Overload: answer at once instead of queueing without bound (RFC 3261 §21.5.4).
  if (impl_->pending.fetch_add(1, std::memory_order_relaxed) >=
      impl_->ctx.config.max_pending_requests) {
    impl_->pending.fetch_sub(1, std::memory_order_relaxed);
    if (transaction->request().method != "ACK") {
      SipMessage response = response_for(impl_->ctx, transaction->request(), 503, "Overloaded");
      response.add_header("Retry-After", std::to_string(impl_->ctx.config.retry_after.count()));
      transaction->respond(std::move(response));
    }
    return;
  }
  boost::asio::post(impl_->ctx.strand, [impl = impl_, transaction = std::move(transaction)] {
    impl->pending.fetch_sub(1, std::memory_order_relaxed);
    impl->dispatch(transaction);
  });
}

void SipServices::on_flow_closed(const Flow& flow) {
  boost::asio::post(impl_->ctx.strand, [impl = impl_, flow] { impl->flow_closed(flow); });
}

void SipServices::sweep() {
  boost::asio::post(impl_->ctx.strand, [impl = impl_] { impl->sweep(); });
}

std::size_t SipServices::account_count() const {
  return impl_->account_count.load(std::memory_order_relaxed);
}

}  // namespace parley::sip
