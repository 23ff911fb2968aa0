#pragma once
// A minimal "value or error" result for parsing at the boundary (C++20 has no std::expected).
#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace parley::model {

template <class T, class E = std::string>
class Expected {
 public:
  Expected(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT implicit
  static Expected failure(E error) { return Expected(std::in_place_index<1>, std::move(error)); }

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }
  const E& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }

 private:
  template <std::size_t I, class A>
  Expected(std::in_place_index_t<I> i, A&& a) : v_(i, std::forward<A>(a)) {}
  std::variant<T, E> v_;
};

}  // namespace parley::model
