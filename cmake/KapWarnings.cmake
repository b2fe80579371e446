# kap_target_warnings(<target>) - kap's warning set, for kap's own targets only (never consumers').
# -Werror comes only from CMAKE_COMPILE_WARNING_AS_ERROR (set by the CI presets) or KAP_WARNINGS_AS_ERRORS.
function(kap_target_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4 /permissive-)
  else()
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
                                             -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual)
  endif()
  if(KAP_WARNINGS_AS_ERRORS)
    set_target_properties(${target} PROPERTIES COMPILE_WARNING_AS_ERROR ON)
  endif()
endfunction()
