#ifndef FORGE_CLIBGIT2_SHIM_H
#define FORGE_CLIBGIT2_SHIM_H
#include <git2.h>
#endif
