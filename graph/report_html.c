/* placeholder */
#include "actornet/render.h"
