# Warnings, sanitizers and a helper that declares one library target per module.

add_library(candour_warnings INTERFACE)
target_compile_options(candour_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow)

add_library(candour_sanitizers INTERFACE)
if(CANDOUR_SANITIZE)
  target_compile_options(candour_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
    # GCC 12's flow analysis under ASan reports uninitialised reads and mismatched deletes
    # inside std::regex, Beast and Asio's coroutine frames that the release build does not:
    # false positives, silenced here only (the release build keeps the warnings).
    -Wno-maybe-uninitialized -Wno-mismatched-new-delete)
  target_link_options(candour_sanitizers INTERFACE -fsanitize=address,undefined)
elseif(CANDOUR_TSAN)
  target_compile_options(candour_sanitizers INTERFACE -fsanitize=thread -fno-omit-frame-pointer
    -Wno-maybe-uninitialized -Wno-mismatched-new-delete -Wno-tsan)
  target_link_options(candour_sanitizers INTERFACE -fsanitize=thread)
endif()

# candour_module(NAME SOURCES ... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
# Declares the library candour_NAME, whose headers are included as "NAME/header.h".
function(candour_module name)
  cmake_parse_arguments(M "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(candour_${name} STATIC ${M_SOURCES})
  target_include_directories(candour_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(candour_${name}
    PUBLIC ${M_PUBLIC_DEPS} candour_sanitizers
    PRIVATE ${M_PRIVATE_DEPS} candour_warnings)
endfunction()

# candour_test(NAME SOURCES ... DEPS ...): a GoogleTest executable registered with ctest.
function(candour_test name)
  cmake_parse_arguments(T "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_DEPS} candour_test_main candour_warnings)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 300)
endfunction()

# candour_embed(MODULE FILES ...): compiles each file of MODULE's folder (paths relative to it)
# into candour_MODULE, in the table of the generated MODULE/embedded.h (cmake/embed.cmake), so the binary
# never reads them from the file system.
function(candour_embed module)
  set(root ${PROJECT_SOURCE_DIR}/${module})
  list(TRANSFORM ARGN PREPEND ${root}/ OUTPUT_VARIABLE paths)
  string(JOIN "," files_arg ${ARGN})
  set(output ${CMAKE_CURRENT_BINARY_DIR}/embedded.cc)
  set(header ${CMAKE_CURRENT_BINARY_DIR}/include/${module}/embedded.h)
  add_custom_command(
    OUTPUT ${output} ${header}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/include/${module}
    COMMAND ${CMAKE_COMMAND} -DROOT=${root} -DMODULE=${module} -DFILES=${files_arg}
            -DOUTPUT=${output} -DHEADER=${header} -P ${PROJECT_SOURCE_DIR}/cmake/embed.cmake
    DEPENDS ${paths} ${PROJECT_SOURCE_DIR}/cmake/embed.cmake
    COMMENT "Embedding files of ${module}/"
    VERBATIM)
  target_sources(candour_${module} PRIVATE ${output} ${header})
  target_include_directories(candour_${module} PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/include)
endfunction()
