/* actornet — map functions of a build without Graphviz (-Dgraphviz=disabled).
 *
 * Such a build links no EPL-1.0 code, so a binary of it can be redistributed
 * under the GPL together with igraph (docs/design.md, "Licences"). Maps are
 * unavailable; every other output works.
 */
#include <string.h>

#include "actornet/render.h"
#include "core/internal.h"

AN_EXPORT int an_render_available(void) { return 0; }

AN_EXPORT void an_render_options_init(an_render_options *o) {
    if (!o) return;
    memset(o, 0, sizeof *o);
    o->seed = 1;
}

AN_EXPORT an_status an_render_dot(const an_graph_view *v, const an_render_options *o, FILE *out,
                                  an_error *err) {
    (void)v;
    (void)o;
    (void)out;
    return an_i_error(err, AN_ERENDER, NULL, 0, 0,
                      "this actornet was built without Graphviz (-Dgraphviz=disabled): "
                      "no DOT, SVG, PNG or PDF maps");
}

AN_EXPORT an_status an_render_image(const an_graph_view *v, const an_render_options *o,
                                    const char *format, FILE *out, an_error *err) {
    (void)format;
    return an_render_dot(v, o, out, err);
}

AN_EXPORT an_status an_render_images(const an_graph_view *v, const an_render_options *o,
                                     const char *const *formats, FILE *const *outs, size_t n,
                                     an_error *err) {
    (void)formats;
    (void)outs;
    (void)n;
    return an_render_dot(v, o, NULL, err);
}
