/* actornet — umbrella header. */
#ifndef ACTORNET_H
#define ACTORNET_H
#include "common.h"
#include "gazetteer.h"
#include "text.h"
#include "matcher.h"
#include "cooc.h"
#include "network.h"
#include "render.h"
#include "evidence.h"
#endif
