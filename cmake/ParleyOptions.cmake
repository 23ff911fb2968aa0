# Per-target build options: warnings, -Werror and sanitizers are target options, not global flags.

# mold (Debian package "mold", installed by scripts/install-deps.sh) links the sanitized test
# executables many times faster than GNU ld; the build falls back to the default linker without it.
include(CheckLinkerFlag)
check_linker_flag(CXX -fuse-ld=mold PARLEY_HAVE_MOLD)
if(PARLEY_HAVE_MOLD)
  add_link_options(-fuse-ld=mold)
endif()

function(parley_target_options target)
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    return()
  endif()
  target_compile_features(${target} PUBLIC cxx_std_20)
  # Boost 1.74's awaitable.hpp uses std::exchange without <utility> (see TOOLCHAIN.md).
  target_compile_options(${target} PRIVATE -include utility)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wshadow=local -Wnon-virtual-dtor
                                            -Wno-missing-field-initializers)
  if(PARLEY_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(PARLEY_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
                                             -fno-sanitize-recover=undefined)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()

# A library module: target name, then SOURCES and DEPS lists.
function(parley_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  parley_target_options(${name})
  if(PARLEY_SANITIZE)
    target_link_options(${name} PUBLIC -fsanitize=address,undefined)
  endif()
endfunction()

# A GoogleTest executable registered with CTest (label "unit" unless LABEL is given).
function(parley_test name)
  cmake_parse_arguments(ARG "" "LABEL" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  parley_target_options(${name})
  if(NOT ARG_LABEL)
    set(ARG_LABEL unit)
  endif()
  gtest_discover_tests(${name} PROPERTIES LABELS ${ARG_LABEL} DISCOVERY_TIMEOUT 60)
endfunction()
