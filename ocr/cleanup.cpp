#include "ocr/cleanup.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>

#include <opencv2/core/hal/intrin.hpp>
#include <opencv2/imgproc.hpp>

#include "ocr/circle.hpp"

namespace hotich::ocr {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Resize factor so that the longer side is at most `target` px.
double shrink_factor(cv::Size s, int target) {
  return std::min(1.0, double(target) / double(std::max(s.width, s.height)));
}

// TL, TR, BR, BL from four unordered corners.
std::array<cv::Point2f, 4> order_corners(const std::vector<cv::Point2f>& p) {
  std::array<cv::Point2f, 4> q;
  auto sum = [](const cv::Point2f& a) { return a.x + a.y; };
  auto diff = [](const cv::Point2f& a) { return a.x - a.y; };
  q[0] = *std::min_element(p.begin(), p.end(), [&](auto& a, auto& b) { return sum(a) < sum(b); });
  q[2] = *std::max_element(p.begin(), p.end(), [&](auto& a, auto& b) { return sum(a) < sum(b); });
  q[1] = *std::max_element(p.begin(), p.end(), [&](auto& a, auto& b) { return diff(a) < diff(b); });
  q[3] = *std::min_element(p.begin(), p.end(), [&](auto& a, auto& b) { return diff(a) < diff(b); });
  return q;
}

// Intersection of two lines given as (vx, vy, x0, y0).
cv::Point2f intersect(const cv::Vec4f& a, const cv::Vec4f& b, cv::Point2f fallback) {
  const double det = a[0] * b[1] - a[1] * b[0];
  if (std::abs(det) < 1e-9) return fallback;
  const double t = ((b[2] - a[2]) * b[1] - (b[3] - a[3]) * b[0]) / det;
  return {float(a[2] + t * a[0]), float(a[3] + t * a[1])};
}

// A quad found on a downscaled image is accurate to a few full-resolution
// pixels only. Each side is refined on the full-resolution gray image: along
// the side's normal, the strongest paper/background step is searched near
// the coarse edge; a robust line through those steps gives the side, and
// adjacent sides intersect in the corners.
// *sharp = the fraction of samples where a clear step was found: a paper
// edge is a step of tens of gray levels within a pixel or two, a shadow
// (book gutter, uneven light on a scan) is a slow ramp.
std::array<cv::Point2f, 4> refine_quad(const cv::Mat& gray, std::array<cv::Point2f, 4> q,
                                       float radius, double* sharp) {
  *sharp = 0;
  int found = 0, tried = 0;
  std::array<cv::Vec4f, 4> lines;
  for (int s = 0; s < 4; ++s) {
    const cv::Point2f a = q[s], b = q[(s + 1) % 4];
    const cv::Point2f d = b - a;
    const float len = std::hypot(d.x, d.y);
    if (len < 10) return q;
    const cv::Point2f u = d / len;
    // Outward normal: the quad is clockwise on screen (TL, TR, BR, BL).
    const cv::Point2f n(u.y, -u.x);
    // Only the band along the side where the samples fall is blurred, a
    // hundredth of a photo's pixels. (OpenCV's fixed-point blur of a view
    // differs from the whole photo's by a grey level at some pixels; the
    // corners moved by a tenth of a pixel on 1 photo in 35, and 41 corpora
    // read as before: 2 fields fewer right of 52,276, none more wrong.)
    const cv::Point2f ends[4] = {a + n * radius, a - n * radius, b + n * radius, b - n * radius};
    cv::Rect band = cv::boundingRect(std::vector<cv::Point2f>(ends, ends + 4));
    band = cv::Rect(band.x - 2, band.y - 2, band.width + 4, band.height + 4) & cv::Rect(0, 0, gray.cols, gray.rows);
    if (band.empty()) return q;
    cv::Mat g;
    cv::GaussianBlur(gray(band), g, cv::Size(5, 5), 0);
    std::vector<cv::Point2f> pts;
    const int samples = 60;
    for (int i = 0; i < samples; ++i) {
      const float t = 0.1f + 0.8f * float(i) / float(samples - 1);
      const cv::Point2f c = a + d * t;
      float best = 0, best_off = 0;
      float prev = -1;
      for (float o = -radius; o <= radius; o += 1.f) {
        const cv::Point2f p = c + n * o;
        const int x = cvRound(p.x), y = cvRound(p.y);
        if (!band.contains({x, y})) {  // off the page: the band holds every point on it
          prev = -1;
          continue;
        }
        const float v = g.at<uchar>(y - band.y, x - band.x);
        // Inside (paper) is bright, outside darker: moving outward the
        // value drops; the largest drop marks the edge.
        if (prev >= 0 && prev - v > best) {
          best = prev - v;
          best_off = o - 0.5f;
        }
        prev = v;
      }
      ++tried;
      if (best > 8) pts.push_back(c + n * best_off), ++found;
    }
    if (pts.size() < 10) {
      *sharp = double(found) / std::max(1, tried);
      return q;
    }
    cv::fitLine(pts, lines[s], cv::DIST_HUBER, 0, 0.01, 0.01);
  }
  *sharp = double(found) / std::max(1, tried);
  std::array<cv::Point2f, 4> r;
  for (int c = 0; c < 4; ++c) r[c] = intersect(lines[(c + 3) % 4], lines[c], q[c]);
  // Refinement that moves a corner far away is a failure: keep the coarse one.
  for (int c = 0; c < 4; ++c)
    if (cv::norm(r[c] - q[c]) > 2 * radius) r[c] = q[c];
  return r;
}

// 90th percentile of each channel of a BGR image (sampled on a coarse grid):
// the paper's colour, since most of a page is paper.
cv::Vec3d paper_colour(const cv::Mat& bgr) {
  std::array<std::vector<uchar>, 3> v;
  const int step = std::max(1, std::min(bgr.cols, bgr.rows) / 300);
  for (int y = 0; y < bgr.rows; y += step) {
    const cv::Vec3b* p = bgr.ptr<cv::Vec3b>(y);
    for (int x = 0; x < bgr.cols; x += step)
      for (int c = 0; c < 3; ++c) v[size_t(c)].push_back(p[x][c]);
  }
  cv::Vec3d out;
  for (int c = 0; c < 3; ++c) {
    auto& ch = v[size_t(c)];
    if (ch.empty()) return {255, 255, 255};
    auto it = ch.begin() + long(ch.size() * 9 / 10);
    std::nth_element(ch.begin(), it, ch.end());
    out[c] = std::max(1.0, double(*it));
  }
  return out;
}

// Sets red ink (stamps, red pen) in `gray` to the paper's grey; returns the
// number of pixels recognised as red. A pixel is red when, after scaling
// each channel so the paper is neutral, red is the brightest channel by a
// saturation margin (faded stamps are only moderately saturated) and the
// hue is within 15 degrees of red. Pale pink anti-aliased rims fall below
// the margin: the mask grows over them, but only over pixels whose red
// channel is near the paper's (dark ink is not, so text under a stamp stays).
long suppress_red_ink(const cv::Mat& bgr, cv::Mat& gray) {
  const cv::Vec3d paper = paper_colour(bgr);
  const float kb = float(paper[2] / paper[0]), kg = float(paper[2] / paper[1]);
  cv::Mat mask(bgr.size(), CV_8U);
  long n = 0;
  int x0 = bgr.cols, x1 = -1, y0 = bgr.rows, y1 = -1;  // the red pixels' box
  for (int y = 0; y < bgr.rows; ++y) {
    const uchar* p = bgr.ptr<uchar>(y);
    uchar* m = mask.ptr<uchar>(y);
    // Sixteen pixels at a time where the CPU has 128-bit vectors (every
    // x86-64 does), with the same float operations as the scalar test, so
    // the same answer; the few rows with red are then walked for the red
    // pixels' box.
    int x = 0;
#if CV_SIMD128
    {
      using namespace cv;
      const v_float32x4 vkb = v_setall_f32(kb), vkg = v_setall_f32(kg), v60 = v_setall_f32(60.f),
                        v014 = v_setall_f32(0.14f), v4 = v_setall_f32(4.f);
      auto test = [&](const v_uint32x4& bu, const v_uint32x4& gu, const v_uint32x4& ru) {
        const v_float32x4 b = v_cvt_f32(v_reinterpret_as_s32(bu)) * vkb, g = v_cvt_f32(v_reinterpret_as_s32(gu)) * vkg,
                          rr = v_cvt_f32(v_reinterpret_as_s32(ru));
        const v_float32x4 mn = v_min(b, g);
        return v_reinterpret_as_u32((rr >= v60) & (rr > b) & (rr > g) & ((rr - mn) >= v014 * rr) &
                                    ((v4 * v_abs(g - b)) <= (rr - mn)));
      };
      for (; x + 16 <= bgr.cols; x += 16) {
        v_uint8x16 B, G, R;
        v_load_deinterleave(p + 3 * x, B, G, R);
        v_uint16x8 b16[2], g16[2], r16[2];
        v_expand(B, b16[0], b16[1]), v_expand(G, g16[0], g16[1]), v_expand(R, r16[0], r16[1]);
        v_uint16x8 half[2];
        for (int h = 0; h < 2; ++h) {
          v_uint32x4 b32[2], g32[2], r32[2];
          v_expand(b16[h], b32[0], b32[1]), v_expand(g16[h], g32[0], g32[1]), v_expand(r16[h], r32[0], r32[1]);
          half[h] = v_pack(test(b32[0], g32[0], r32[0]), test(b32[1], g32[1], r32[1]));
        }
        v_store(m + x, v_pack(half[0], half[1]));
      }
    }
#endif
    for (; x < bgr.cols; ++x) {
      const float b = float(p[3 * x]) * kb, g = float(p[3 * x + 1]) * kg, rr = p[3 * x + 2];
      const float mn = std::min(b, g);
      // S >= 0.14, V >= 60, |hue| <= 15 deg  <=>  |g - b| <= (r - min) / 4
      // (brown and sepia ink sit at 20-30 degrees).
      const bool red = rr >= 60 && rr > b && rr > g && rr - mn >= 0.14f * rr && 4 * std::abs(g - b) <= rr - mn;
      m[x] = red ? 255 : 0;
    }
    int row_n = 0;
    for (x = 0; x < bgr.cols; ++x)
      if (m[x]) ++row_n, x0 = std::min(x0, x), x1 = std::max(x1, x);
    if (row_n == 0) continue;
    n += row_n;
    y0 = std::min(y0, y), y1 = y;
  }
  if (n == 0) return 0;
  cv::dilate(mask, mask, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(5, 5)));
  const double paper_g = 0.299 * paper[2] + 0.587 * paper[1] + 0.114 * paper[0];
  const int red_floor = int(std::lround(0.6 * paper[2]));
  // Red ink takes the grey of the paper around it, not the page's: a
  // photographed stamp tints the paper between its strokes too faintly to
  // pass as red, and strokes filled with the page's white would stand out
  // of that tint, which the background step then keeps as a grey disc with
  // the strokes cut out of it. The local grey is the mean of the paper
  // pixels (neither red nor dark ink) within ~18 px, at a quarter of the
  // size; all within the red pixels' box and a margin, as stamps are small.
  const int margin = 40;
  const cv::Rect roi = cv::Rect(x0 - margin, y0 - margin, x1 - x0 + 1 + 2 * margin, y1 - y0 + 1 + 2 * margin) &
                       cv::Rect(0, 0, gray.cols, gray.rows);
  cv::Mat local;
  {
    // 8-bit at full size; floats only at a quarter.
    const cv::Mat keep = (mask(roi) == 0) & (gray(roi) >= 0.7 * paper_g);
    cv::Mat vals(roi.size(), CV_8U, cv::Scalar(0)), small_keep, small_vals;
    gray(roi).copyTo(vals, keep);
    const cv::Size small((roi.width + 3) / 4, (roi.height + 3) / 4);
    cv::resize(keep, small_keep, small, 0, 0, cv::INTER_AREA);
    cv::resize(vals, small_vals, small, 0, 0, cv::INTER_AREA);
    small_keep.convertTo(small_keep, CV_32F, 1.0 / 255);
    small_vals.convertTo(small_vals, CV_32F);
    cv::boxFilter(small_keep, small_keep, -1, cv::Size(9, 9));
    cv::boxFilter(small_vals, small_vals, -1, cv::Size(9, 9));
    cv::Mat mean_small(small, CV_8U);
    for (int y = 0; y < small.height; ++y)
      for (int x = 0; x < small.width; ++x) {
        const float w = small_keep.at<float>(y, x);
        mean_small.at<uchar>(y, x) =
            cv::saturate_cast<uchar>(w > 0.05f ? small_vals.at<float>(y, x) / w : paper_g);
      }
    cv::resize(mean_small, local, roi.size(), 0, 0, cv::INTER_LINEAR);
  }
  for (int y = 0; y < roi.height; ++y) {
    const cv::Vec3b* p = bgr.ptr<cv::Vec3b>(roi.y + y) + roi.x;
    const uchar* m = mask.ptr<uchar>(roi.y + y) + roi.x;
    const uchar* l = local.ptr<uchar>(y);
    uchar* g = gray.ptr<uchar>(roi.y + y) + roi.x;
    for (int x = 0; x < roi.width; ++x)
      if (m[x] && p[x][2] >= red_floor) g[x] = l[x];
  }
  return n;
}

// Grey stamps on a page whose ink is already normalised (cores black, paper
// white): finds rings of mid-grey strokes (a stamp scanned in grey levels;
// the text crossing it stays black) and, inside each, whitens every pixel
// lighter than the darkest of the ring's own grey. Returns the number of
// rings. Grey pixels are those of 80..180 away from black ink (so not the
// soft edges of letters); a ring is a circle 3-16% of the page's longer
// side across (Hough transform, at 800 px) along which such pixels lie for
// at least 60% of its length. Crossing text and a stamp's own letters cut
// the ring, so a circle, not a connected blob, is what is looked for.
int suppress_grey_stamps(cv::Mat& gray) {
  // Grey is told on every other pixel of every other row, where letters
  // keep their black cores (shrunk by averaging, thin print turns grey
  // too); the mask is then shrunk.
  const double f = shrink_factor(gray.size(), 800);
  cv::Mat grey;
  {
    cv::Mat half, near_black;
    cv::resize(gray, half, cv::Size((gray.cols + 1) / 2, (gray.rows + 1) / 2), 0, 0, cv::INTER_NEAREST);
    cv::dilate(half < 70, near_black, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(3, 3)));
    const cv::Mat mask = (half >= 80) & (half <= 180) & ~near_black;
    cv::resize(mask, grey, cv::Size(), 2 * f, 2 * f, cv::INTER_AREA);
    grey = grey >= 64;
  }
  cv::Mat small;
  cv::resize(gray, small, cv::Size(), f, f, cv::INTER_AREA);
  const int side = std::max(small.cols, small.rows);
  const int min_r = int(0.015 * side), max_r = int(0.08 * side);
  // A ring needs its circumference in grey pixels; most pages have far
  // fewer, and skip the transform.
  if (cv::countNonZero(grey) < int(2 * CV_PI * min_r)) return 0;
  // The transform runs at half this size (stamps stay 12+ px across);
  // the circles it gives are checked at this size.
  cv::Mat blurred;
  cv::resize(grey, blurred, cv::Size(), 0.5, 0.5, cv::INTER_AREA);
  cv::GaussianBlur(blurred, blurred, cv::Size(3, 3), 1.0);
  std::vector<cv::Vec3f> circles;
  cv::HoughCircles(blurred, circles, cv::HOUGH_GRADIENT, 1, min_r, 100, 20, min_r / 2, max_r / 2);
  for (auto& c : circles) c *= 2.0f;
  cv::Mat along;
  cv::dilate(grey, along, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(5, 5)));
  int rings = 0;
  auto cover = [](const cv::Mat& m, const cv::Vec3f& c, double r, int step = 1) {
    return circle_cover(m, c[0], c[1], r, step);
  };
  // A stamp's rings are concentric, and the transform keeps one circle per
  // centre, often an inner ring with the stamp's words outside it: the
  // outermost ring drawn around the same centre (up to a fifth of the page
  // across) is the stamp's edge.
  // The centre the transform gives is that of the ring it found, a few px
  // off the outer one's: centres within 12 px are tried. Only circles that
  // pass the first test below are worth it; a coarse look (every 4 px, 60
  // points on the circle) comes before the full test.
  const int outer_r = int(0.1 * side);
  for (cv::Vec3f& c : circles) {
    if (cover(along, c, c[2]) < 0.5) continue;
    cv::Vec3f outer = c;
    for (int dx = -12; dx <= 12; dx += 4)
      for (int dy = -12; dy <= 12; dy += 4)
        for (int r = outer_r; r > int(std::max(c[2], outer[2])) + 3; --r) {
          const cv::Vec3f t(c[0] + float(dx), c[1] + float(dy), float(r));
          if (cover(along, t, r, 6) >= 0.75 && cover(along, t, r) >= 0.8) {
            outer = t;
            break;
          }
        }
    c = outer;
  }
  std::vector<cv::Vec3f> done;  // rings accepted
  for (cv::Vec3f c : circles) {
    if (cover(along, c, c[2]) < 0.5) continue;  // cheap first test, before the search below
    // The circle through the most grey (the transform's is a few px off),
    // then a ring: a drawn stroke along most of the circle, with paper
    // just outside it (grey text, shading or show-through is grey all
    // around; inside, a stamp has its own words and rings).
    cv::Vec3f best = c;
    double most = -1;
    for (int dx = -3; dx <= 3; ++dx)
      for (int dy = -3; dy <= 3; ++dy)
        for (int dr = -3; dr <= 3; ++dr) {
          const cv::Vec3f t(c[0] + float(dx), c[1] + float(dy), c[2] + float(dr));
          if (const double v = cover(grey, t, t[2]); v > most) most = v, best = t;
        }
    c = best;
    if (most < 0.5 || cover(along, c, c[2]) < 0.8 || cover(grey, c, c[2] + 6) > 0.1) continue;
    // Two circles of the transform may lead to the same outer ring.
    if (std::any_of(done.begin(), done.end(), [&](const cv::Vec3f& d) {
          return std::hypot(c[0] - d[0], c[1] - d[1]) < d[2] / 2;
        }))
      continue;
    done.push_back(c);
    // The ring's grey: the darkest 5% of the grey pixels near the circle.
    // Ink darker than that by a margin is text under the stamp.
    int hist[256] = {0};
    long count = 0;
    const double r = c[2];
    const cv::Rect near = cv::Rect(cvRound(c[0] - r - 3), cvRound(c[1] - r - 3), cvRound(2 * r + 7), cvRound(2 * r + 7)) &
                          cv::Rect(0, 0, small.cols, small.rows);
    for (int y = near.y; y < near.br().y; ++y)
      for (int x = near.x; x < near.br().x; ++x) {
        const double d = std::hypot(x - c[0], y - c[1]);
        if (std::abs(d - r) <= 3 && grey.at<uchar>(y, x)) ++hist[small.at<uchar>(y, x)], ++count;
      }
    long acc = 0;
    int low = 80;
    while (low < 180 && (acc += hist[low]) < count / 20) ++low;
    const int keep_below = low - 10;
    if (keep_below < 70) continue;  // as dark as the text: nothing to tell apart
    // Inside the ring and its stroke, at full size: pixels as light as the
    // ring's grey become paper, but for the soft edges of print (next to
    // its black cores); then whatever is left without a black core (the
    // darkest bits of the stamp's strokes) becomes paper too.
    const double cx = c[0] / f, cy = c[1] / f, rr = (r + 4) / f;
    const cv::Rect roi = cv::Rect(cvFloor(cx - rr), cvFloor(cy - rr), cvCeil(2 * rr) + 1, cvCeil(2 * rr) + 1) &
                         cv::Rect(0, 0, gray.cols, gray.rows);
    cv::Mat part = gray(roi), edge;
    cv::dilate(part < 70, edge, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(3, 3)));
    auto inside = [&](int x, int y) {
      const double dx = roi.x + x - cx, dy = roi.y + y - cy;
      return dx * dx + dy * dy <= rr * rr;
    };
    for (int y = 0; y < part.rows; ++y) {
      uchar* p = part.ptr<uchar>(y);
      const uchar* e = edge.ptr<uchar>(y);
      for (int x = 0; x < part.cols; ++x)
        if (p[x] >= keep_below && !e[x] && inside(x, y)) p[x] = 255;
    }
    cv::Mat blob_labels, blob_stats;
    const int blobs = ink_components(part < 230, blob_labels, blob_stats);
    const std::vector<uchar> darkest = darkest_per_label(blob_labels, part, blobs);
    for (int y = 0; y < part.rows; ++y) {
      const int* l = blob_labels.ptr<int>(y);
      uchar* p = part.ptr<uchar>(y);
      for (int x = 0; x < part.cols; ++x)
        if (l[x] && darkest[size_t(l[x])] >= 70 && inside(x, y)) p[x] = 255;
    }
    ++rings;
  }
  return rings;
}

}  // namespace

bool find_page_quad(const cv::Mat& image, std::array<cv::Point2f, 4>* quad) {
  if (image.empty()) return false;
  cv::Mat gray;
  if (image.channels() == 3) cv::cvtColor(image, gray, cv::COLOR_BGR2GRAY);
  else gray = image;
  const double f = shrink_factor(gray.size(), 1000);
  cv::Mat small;
  cv::resize(gray, small, cv::Size(), f, f, cv::INTER_AREA);
  cv::GaussianBlur(small, small, cv::Size(5, 5), 0);
  cv::Mat bright;
  cv::threshold(small, bright, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  // Fill the text and rules so the paper is one blob; cut thin bridges to
  // bright things in the background.
  cv::morphologyEx(bright, bright, cv::MORPH_CLOSE,
                   cv::getStructuringElement(cv::MORPH_RECT, cv::Size(15, 15)));
  cv::morphologyEx(bright, bright, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_RECT, cv::Size(9, 9)));
  // A scan: the paper reaches the frame all around. A photo: a dark ring.
  const int ring = std::max(2, int(0.02 * std::min(small.cols, small.rows)));
  cv::Mat inner = cv::Mat::zeros(small.size(), CV_8U);
  inner(cv::Rect(ring, ring, small.cols - 2 * ring, small.rows - 2 * ring)).setTo(255);
  cv::Mat ring_mask;
  cv::bitwise_not(inner, ring_mask);
  const double ring_bright = cv::mean(bright, ring_mask)[0] / 255.0;
  if (ring_bright > 0.6) return false;

  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(bright, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
  if (contours.empty()) return false;
  const auto& biggest = *std::max_element(contours.begin(), contours.end(), [](auto& a, auto& b) {
    return cv::contourArea(a) < cv::contourArea(b);
  });
  const double area = cv::contourArea(biggest);
  const double frame = double(small.cols) * small.rows;
  if (area < 0.2 * frame || area > 0.97 * frame) return false;

  std::vector<cv::Point> hull;
  cv::convexHull(biggest, hull);
  const double perim = cv::arcLength(hull, true);
  std::vector<cv::Point2f> corners;
  for (double eps = 0.01; eps <= 0.1 && corners.empty(); eps += 0.005) {
    std::vector<cv::Point> approx;
    cv::approxPolyDP(hull, approx, eps * perim, true);
    if (approx.size() == 4)
      for (auto& p : approx) corners.emplace_back(float(p.x), float(p.y));
  }
  if (corners.empty()) {
    cv::Point2f pts[4];
    cv::minAreaRect(hull).points(pts);
    corners.assign(pts, pts + 4);
  }
  for (auto& c : corners) c *= float(1.0 / f);
  auto q = order_corners(corners);
  double sharp = 0;
  q = refine_quad(gray, q, float(3.0 / f + 4.0), &sharp);
  if (sharp < 0.6) return false;
  *quad = q;
  return true;
}

double measure_skew(const cv::Mat& gray, double max_deg, bool* ruled) {
  if (ruled) *ruled = false;
  if (gray.empty()) return 0;
  const double f = shrink_factor(gray.size(), 1400);
  cv::Mat small, ink;
  cv::resize(gray, small, cv::Size(), f, f, cv::INTER_AREA);
  cv::threshold(small, ink, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
  // Long horizontal structures: thicken vertically first so a thin rule
  // tilted by a few degrees still has runs longer than the opening kernel.
  cv::Mat rules;
  cv::dilate(ink, rules, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(1, 3)));
  cv::morphologyEx(rules, rules, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_RECT, cv::Size(31, 1)));
  // A table's rules stay inside the page. What touches the frame is the
  // scanner's dark margin or the paper's edge, in wedges as wide as the
  // skew: their mass leans at a fraction of the skew (a page turned 0.8
  // degrees measured 0.1 on them when its faint rules were lost).
  {
    const InkComponents comps(rules);
    std::vector<uchar> edge(size_t(comps.count()), 0);
    for (int i = 1; i < comps.count(); ++i) {
      const cv::Rect b = comps.box(i);
      edge[size_t(i)] = b.x <= 0 || b.y <= 0 || b.br().x >= rules.cols || b.br().y >= rules.rows;
    }
    comps.paint(rules, edge, 0);
  }
  const bool is_ruled = cv::countNonZero(rules) > 3 * small.cols;
  if (ruled) *ruled = is_ruled;
  const cv::Mat& src = is_ruled ? rules : ink;

  std::vector<cv::Point> pts;
  cv::findNonZero(src, pts);
  if (pts.size() < 50) return 0;
  const size_t step = std::max<size_t>(1, pts.size() / 250000);
  std::vector<cv::Point2f> sample;
  sample.reserve(pts.size() / step + 1);
  const float cx = float(small.cols) / 2;
  for (size_t i = 0; i < pts.size(); i += step)
    sample.emplace_back(float(pts[i].x) - cx, float(pts[i].y));
  // Lines rising to the right by angle a: y + x*tan(a) is constant along
  // them, so the profile of that quantity is sharpest at the true skew.
  const int bins = small.rows + 2 * small.cols / 10 + 8;
  const float off = float(small.cols) / 10 + 4;
  std::vector<int> hist(static_cast<size_t>(bins), 0);
  auto score = [&](double a) {
    std::fill(hist.begin(), hist.end(), 0);
    const float t = float(std::tan(a * CV_PI / 180));
    for (const auto& p : sample) {
      const int b = int(p.y + p.x * t + off);
      if (b >= 0 && b < bins) ++hist[size_t(b)];
    }
    double s = 0;
    for (int h : hist) s += double(h) * h;
    return s;
  };
  double best = 0, best_s = -1;
  for (double a = -max_deg; a <= max_deg + 1e-9; a += 0.25)
    if (double s = score(a); s > best_s) best_s = s, best = a;
  const double c = best;
  for (double a = c - 0.25; a <= c + 0.25 + 1e-9; a += 0.02)
    if (double s = score(a); s > best_s) best_s = s, best = a;
  return best;
}

cv::Mat binarize_page(const cv::Mat& gray, const BinarizeOptions& o) {
  CV_Assert(gray.type() == CV_8UC1);
  const int win = o.window > 0 ? o.window : 41;
  // The local mean and deviation vary slowly at the window's scale: compute
  // them on f x f block means (exact for E[g] and E[g^2]) and interpolate
  // the threshold back, ~f^2 times cheaper than at full size. Block sums
  // are taken straight from the 8-bit page: no full-size float copies.
  const int f = std::clamp(win / 10, 1, 4);
  const cv::Size small((gray.cols + f - 1) / f, (gray.rows + f - 1) / f);
  cv::Mat g(small, CV_32F), g2(small, CV_32F);
  std::vector<float> s1(size_t(small.width)), s2(size_t(small.width));
  std::vector<int> cnt(size_t(small.width));
  for (int by = 0; by < small.height; ++by) {
    std::fill(s1.begin(), s1.end(), 0.f);
    std::fill(s2.begin(), s2.end(), 0.f);
    std::fill(cnt.begin(), cnt.end(), 0);
    for (int y = by * f; y < std::min(gray.rows, by * f + f); ++y) {
      const uchar* p = gray.ptr<uchar>(y);
      for (int bx = 0, x = 0; bx < small.width; ++bx) {
        const int end = std::min(gray.cols, x + f);
        int a = 0, a2 = 0;
        for (; x < end; ++x) a += p[x], a2 += p[x] * p[x];
        s1[size_t(bx)] += float(a), s2[size_t(bx)] += float(a2);
        cnt[size_t(bx)] += end - bx * f;
      }
    }
    float* m1 = g.ptr<float>(by);
    float* m2 = g2.ptr<float>(by);
    for (int bx = 0; bx < small.width; ++bx) {
      const float n = float(std::max(1, cnt[size_t(bx)]));
      m1[bx] = s1[size_t(bx)] / n, m2[bx] = s2[size_t(bx)] / n;
    }
  }
  const int w = std::max(3, (win / f) | 1);
  cv::Mat mean, mean_sq;
  cv::boxFilter(g, mean, CV_32F, cv::Size(w, w), cv::Point(-1, -1), true, cv::BORDER_REPLICATE);
  cv::boxFilter(g2, mean_sq, CV_32F, cv::Size(w, w), cv::Point(-1, -1), true,
                cv::BORDER_REPLICATE);
  cv::Mat var = mean_sq - mean.mul(mean), sd;
  cv::max(var, 0, var);
  cv::sqrt(var, sd);
  cv::Mat thr = mean.mul(1 + o.k * (sd / o.R - 1));
  thr = cv::min(thr, float(255 - o.min_contrast));
  cv::Mat thr8;
  thr.convertTo(thr8, CV_8U);
  if (f > 1) cv::resize(thr8, thr8, gray.size(), 0, 0, cv::INTER_LINEAR);
  return gray < thr8;
}

// Runs, not pixels: a page is mostly paper, and its ink comes in a few
// hundred thousand runs against millions of pixels. Runs of consecutive
// rows that overlap or touch diagonally are joined (union-find over runs,
// the root being the earliest run). Labels are numbered as OpenCV's
// block-based scan numbers them: by the first 2x2 block (block row, then
// block column) that holds a pixel of the component. Two components never
// share a block (any two pixels of a 2x2 block are 8-connected), so the
// order is total.
InkComponents::InkComponents(const cv::Mat& ink) : size_(ink.size()) {
  CV_Assert(ink.type() == CV_8UC1);
  std::vector<int> parent;
  auto find = [&](int i) {
    while (parent[size_t(i)] != i) i = parent[size_t(i)] = parent[size_t(parent[size_t(i)])];
    return i;
  };
  row_begin_.assign(size_t(ink.rows) + 1, 0);
  size_t prev_begin = 0, prev_end = 0;
  for (int y = 0; y < ink.rows; ++y) {
    const uchar* p = ink.ptr<uchar>(y);
    const size_t begin = runs_.size();
    row_begin_[size_t(y)] = int(begin);
    size_t j = prev_begin;  // the first run of the row above that may touch
    for (int x = 0; x < ink.cols;) {
      // Paper is skipped eight bytes at a time.
      while (x + 8 <= ink.cols) {
        uint64_t v;
        std::memcpy(&v, p + x, 8);
        if (v) break;
        x += 8;
      }
      while (x < ink.cols && !p[x]) ++x;
      if (x >= ink.cols) break;
      const int s = x;
      while (x < ink.cols && p[x]) ++x;
      const int i = int(runs_.size());
      runs_.push_back({y, s, x, 0});
      parent.push_back(i);
      // Runs above touching [s - 1, x] join this one.
      while (j < prev_end && runs_[j].x1 < s) ++j;
      for (size_t k = j; k < prev_end && runs_[k].x0 <= x; ++k) {
        const int a = find(int(k)), b = find(i);
        if (a < b) parent[size_t(b)] = a;
        else if (b < a) parent[size_t(a)] = b;
      }
    }
    prev_begin = begin, prev_end = runs_.size();
  }
  row_begin_[size_t(ink.rows)] = int(runs_.size());
  // Each root's first block, then labels in the order of those blocks.
  std::vector<uint64_t> first(runs_.size(), UINT64_MAX);
  for (size_t i = 0; i < runs_.size(); ++i) {
    const size_t r = size_t(find(int(i)));
    const uint64_t key = uint64_t(runs_[i].y >> 1) << 32 | uint64_t(runs_[i].x0 >> 1);
    first[r] = std::min(first[r], key);
  }
  std::vector<std::pair<uint64_t, int>> roots;
  for (size_t i = 0; i < runs_.size(); ++i)
    if (parent[i] == int(i)) roots.emplace_back(first[i], int(i));
  std::sort(roots.begin(), roots.end());
  std::vector<int> root_label(runs_.size(), 0);
  for (const auto& [key, r] : roots) root_label[size_t(r)] = count_++;
  for (size_t i = 0; i < runs_.size(); ++i) runs_[i].label = root_label[size_t(find(int(i)))];

  stats_.create(count_, cv::CC_STAT_MAX, CV_32S);
  stats_.setTo(0);
  std::vector<int> x1(size_t(count_), -1), y1(size_t(count_), -1);
  for (int i = 1; i < count_; ++i) {
    int* st = stats_.ptr<int>(i);
    st[cv::CC_STAT_LEFT] = st[cv::CC_STAT_TOP] = INT32_MAX;
  }
  for (const Run& r : runs_) {
    int* st = stats_.ptr<int>(r.label);
    st[cv::CC_STAT_LEFT] = std::min(st[cv::CC_STAT_LEFT], r.x0);
    st[cv::CC_STAT_TOP] = std::min(st[cv::CC_STAT_TOP], r.y);
    x1[size_t(r.label)] = std::max(x1[size_t(r.label)], r.x1), y1[size_t(r.label)] = r.y + 1;
    st[cv::CC_STAT_AREA] += r.x1 - r.x0;
  }
  for (int i = 1; i < count_; ++i) {
    int* st = stats_.ptr<int>(i);
    st[cv::CC_STAT_WIDTH] = x1[size_t(i)] - st[cv::CC_STAT_LEFT];
    st[cv::CC_STAT_HEIGHT] = y1[size_t(i)] - st[cv::CC_STAT_TOP];
  }
}

cv::Rect InkComponents::box(int label) const {
  const int* st = stats_.ptr<int>(label);
  return {st[cv::CC_STAT_LEFT], st[cv::CC_STAT_TOP], st[cv::CC_STAT_WIDTH], st[cv::CC_STAT_HEIGHT]};
}

std::span<const InkComponents::Run> InkComponents::runs_in_rows(int y0, int y1) const {
  y0 = std::clamp(y0, 0, size_.height), y1 = std::clamp(y1, y0, size_.height);
  return std::span<const Run>(runs_).subspan(size_t(row_begin_[size_t(y0)]),
                                             size_t(row_begin_[size_t(y1)] - row_begin_[size_t(y0)]));
}

cv::Mat InkComponents::labels() const {
  cv::Mat labels(size_, CV_32S);
  size_t i = 0;
  for (int y = 0; y < size_.height; ++y) {
    int* l = labels.ptr<int>(y);
    std::fill(l, l + size_.width, 0);
    for (; i < runs_.size() && runs_[i].y == y; ++i) std::fill(l + runs_[i].x0, l + runs_[i].x1, runs_[i].label);
  }
  return labels;
}

std::vector<uchar> InkComponents::darkest(const cv::Mat& gray) const {
  CV_Assert(gray.type() == CV_8UC1 && gray.size() == size_);
  std::vector<uchar> out(size_t(count_), 255);
  for (const Run& r : runs_) {
    const uchar* g = gray.ptr<uchar>(r.y);
    uchar& d = out[size_t(r.label)];
    for (int x = r.x0; x < r.x1; ++x) d = std::min(d, g[x]);
  }
  return out;
}

void InkComponents::paint(cv::Mat& mask, const std::vector<uchar>& pick, uchar value, cv::Point origin) const {
  CV_Assert(mask.type() == CV_8UC1 && pick.size() == size_t(count_));
  for (const Run& r : runs_in_rows(origin.y, origin.y + mask.rows)) {
    if (!pick[size_t(r.label)]) continue;
    const int x0 = std::max(r.x0 - origin.x, 0), x1 = std::min(r.x1 - origin.x, mask.cols);
    if (x0 < x1) std::fill(mask.ptr<uchar>(r.y - origin.y) + x0, mask.ptr<uchar>(r.y - origin.y) + x1, value);
  }
}

int ink_components(const cv::Mat& ink, cv::Mat& labels, cv::Mat& stats) {
  const InkComponents c(ink);
  labels = c.labels();
  stats = c.stats();
  return c.count();
}

int ink_component_stats(const cv::Mat& ink, cv::Mat& stats) {
  const InkComponents c(ink);
  stats = c.stats();
  return c.count();
}

std::vector<uchar> darkest_per_label(const cv::Mat& labels, const cv::Mat& gray, int n) {
  std::vector<uchar> darkest(size_t(std::max(n, 0)), 255);
  for (int y = 0; y < labels.rows; ++y) {
    const int* l = labels.ptr<int>(y);
    const uchar* g = gray.ptr<uchar>(y);
    for (int x = 0; x < labels.cols; ++x)
      if (l[x] > 0 && l[x] < n) darkest[size_t(l[x])] = std::min(darkest[size_t(l[x])], g[x]);
  }
  return darkest;
}

double estimate_xheight(const cv::Mat& ink) {
  cv::Mat stats;
  const int n = ink_component_stats(ink, stats);
  std::vector<int> h;
  for (int i = 1; i < n; ++i) {
    const int w = stats.at<int>(i, cv::CC_STAT_WIDTH), hh = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    const int a = stats.at<int>(i, cv::CC_STAT_AREA);
    if (hh < 4 || hh > 200 || w < 2 || w > 200 || a < 8) continue;
    if (w > 4 * hh || hh > 8 * w) continue;
    h.push_back(hh);
  }
  if (h.size() < 15) return 0;
  // Diacritics are separate, small components in Vietnamese; drop them
  // relative to the tall letters before taking the median letter height.
  std::sort(h.begin(), h.end());
  const double p80 = h[h.size() * 8 / 10];
  std::vector<int> letters;
  for (int v : h)
    if (v >= 0.45 * p80) letters.push_back(v);
  if (letters.size() < 10) return 0;
  return letters[letters.size() / 2];
}

cv::Mat unsharp_mask(const cv::Mat& gray, double amount, double sigma) {
  CV_Assert(gray.type() == CV_8UC1);
  if (amount <= 0 || sigma <= 0) return gray.clone();
  cv::Mat blurred, out;
  cv::GaussianBlur(gray, blurred, cv::Size(0, 0), sigma);
  // addWeighted saturates, so overshoot at an edge clips to black / white.
  cv::addWeighted(gray, 1 + amount, blurred, -amount, 0, out);
  return out;
}

int clear_counter_specks(cv::Mat& gray, double xheight) {
  if (gray.empty() || gray.type() != CV_8UC1 || xheight <= 0) return 0;
  int cleared = 0;
  // A dot joined to its ring by grey pixels at the first level comes
  // apart at the darker second; the wider outline then takes its halo. In
  // a blurred photo the dot's halo runs into the ring's until the third:
  // there the hole's whole inside is cleared, halos with the dot, since
  // no outline reaches a halo that wide without touching the ring.
  for (const auto& [level, outline] : {std::pair{170, 2}, std::pair{120, 3}, std::pair{90, -1}}) {
    const cv::Mat ink = gray < level;
    std::vector<std::vector<cv::Point>> contours;
    std::vector<cv::Vec4i> tree;  // next, previous, first child, parent
    cv::findContours(ink, contours, tree, cv::RETR_TREE, cv::CHAIN_APPROX_SIMPLE);
    auto depth = [&](int i) {
      int d = 0;
      while ((i = tree[i][3]) >= 0) ++d;
      return d;
    };
    for (int i = 0; i < int(contours.size()); ++i) {
      // Ink (even depth) without holes of its own, inside a hole of ink.
      const int hole = tree[i][3];
      if (hole < 0 || tree[hole][3] < 0 || tree[i][2] >= 0 || depth(i) % 2) continue;
      const cv::Rect h = cv::boundingRect(contours[hole]), c = cv::boundingRect(contours[i]);
      if (h.height > 2 * xheight || h.width > 1.5 * xheight) continue;  // a cell, a stamp, a box
      if (c.area() * 3 > h.area()) continue;
      const double cx = c.x + c.width / 2.0 - h.x, cy = c.y + c.height / 2.0 - h.y;
      if (cx < 0.3 * h.width || cx > 0.7 * h.width || cy < 0.25 * h.height || cy > 0.75 * h.height)
        continue;
      // The dot of a zero has paper on both sides alike; the bar of a
      // faint "Đ" broken off its stem sits against the stem.
      const uchar* row = ink.ptr<uchar>(c.y + c.height / 2);
      int left = 0, right = 0;
      for (int x = c.x - 1; x >= 0 && !row[x]; --x) ++left;
      for (int x = c.x + c.width; x < ink.cols && !row[x]; ++x) ++right;
      const int near = std::min(left, right), far = std::max(left, right);
      if (near < 1 || far - near > std::max(1, near / 2)) continue;
      if (outline > 0) {
        cv::drawContours(gray, contours, i, cv::Scalar(255), cv::FILLED);
        cv::drawContours(gray, contours, i, cv::Scalar(255), outline);
      } else {
        // The hole's contour runs on the ring's own pixels: the inside
        // without them is the hole.
        cv::Mat inside = cv::Mat::zeros(h.size(), CV_8UC1);
        cv::drawContours(inside, contours, hole, cv::Scalar(255), cv::FILLED, cv::LINE_8, cv::noArray(), INT_MAX, -h.tl());
        cv::drawContours(inside, contours, hole, cv::Scalar(0), 1, cv::LINE_8, cv::noArray(), INT_MAX, -h.tl());
        gray(h).setTo(255, inside);
      }
      ++cleared;
    }
  }
  return cleared;
}

cv::Mat clean_page(const cv::Mat& input, const CleanOptions& o, CleanReport* report) {
  CleanReport local;
  CleanReport& r = report ? *report : local;
  r = CleanReport{};
  if (input.empty() || (input.type() != CV_8UC3 && input.type() != CV_8UC1)) return {};
  r.page_quad = {cv::Point2f(0, 0), cv::Point2f(float(input.cols - 1), 0),
                 cv::Point2f(float(input.cols - 1), float(input.rows - 1)),
                 cv::Point2f(0, float(input.rows - 1))};
  auto t0 = Clock::now();

  // 1. Page detection and perspective correction. The page's grey serves
  // the search and, when no page is found (a scan), every step after it.
  cv::Mat page = input, gray;
  if (input.channels() == 3) cv::cvtColor(input, gray, cv::COLOR_BGR2GRAY);
  else gray = input.clone();
  if (o.detect_page) {
    std::array<cv::Point2f, 4> q;
    if (find_page_quad(gray, &q)) {
      r.photo = true;
      r.page_quad = q;
      // Mean of opposite sides: perspective shortens the far side as much
      // as it lengthens the near one, to first order.
      const float w = float(cv::norm(q[1] - q[0]) + cv::norm(q[2] - q[3])) / 2;
      const float h = float(cv::norm(q[3] - q[0]) + cv::norm(q[2] - q[1])) / 2;
      const cv::Point2f dst[4] = {{0, 0}, {w - 1, 0}, {w - 1, h - 1}, {0, h - 1}};
      const cv::Mat m = cv::getPerspectiveTransform(q.data(), dst);
      cv::warpPerspective(input, page, m, cv::Size(cvRound(w), cvRound(h)), cv::INTER_LINEAR,
                          cv::BORDER_REPLICATE);
      if (page.channels() == 3) cv::cvtColor(page, gray, cv::COLOR_BGR2GRAY);
      else gray = page;
    }
    r.timings_ms.emplace_back("page", ms_since(t0));
  }

  // 2. Red ink becomes paper. Colour is judged after white balance on the
  // paper: a photo under warm light tints paper and grey/brown ink alike
  // towards red, and an absolute hue test then erases the text's soft
  // edges. Black ink under a stamp is not red and survives.
  t0 = Clock::now();
  if (page.channels() == 3 && o.remove_stamps) r.stamp_pixels = suppress_red_ink(page, gray);
  r.timings_ms.emplace_back("stamps", ms_since(t0));

  // 3. Background: a closing (max then min filter) wider than any glyph
  // leaves the paper only; dividing by it flattens shadows, yellowing and
  // stains, then a stretch restores faded ink contrast.
  t0 = Clock::now();
  if (o.normalize_light) {
    const double f = shrink_factor(gray.size(), 800);
    cv::Mat small, bg;
    cv::resize(gray, small, cv::Size(), f, f, cv::INTER_AREA);
    const int k = std::max(9, int(std::lround(std::max(small.cols, small.rows) / 50.0)) | 1);
    cv::morphologyEx(small, bg, cv::MORPH_CLOSE,
                     cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(k, k)));
    cv::medianBlur(bg, bg, 5);
    cv::GaussianBlur(bg, bg, cv::Size(0, 0), 2);
    cv::resize(bg, bg, gray.size(), 0, 0, cv::INTER_LINEAR);
    cv::max(bg, 1, bg);
    cv::Mat norm;
    cv::divide(gray, bg, norm, 255.0);
    // Stretch so the darkest 0.5% of pixels (ink cores) become black, but
    // never stretch a nearly blank page's noise into ink.
    int hist[256] = {0};
    for (int y = 0; y < norm.rows; y += 2) {
      const uchar* p = norm.ptr<uchar>(y);
      for (int x = 0; x < norm.cols; x += 2) ++hist[p[x]];
    }
    long total = 0;
    for (int h : hist) total += h;
    long acc = 0;
    int lo = 0;
    while (lo < 255 && acc + hist[lo] < total / 200) acc += hist[lo++];
    lo = std::min(lo, 160);
    const int hi = 245;
    norm.convertTo(gray, CV_8U, 255.0 / (hi - lo), -255.0 * lo / (hi - lo));
  }
  if (o.remove_grey_stamps) r.grey_stamps = suppress_grey_stamps(gray);
  r.timings_ms.emplace_back("light", ms_since(t0));

  // 4. Deskew.
  t0 = Clock::now();
  if (o.deskew) {
    r.skew_deg = measure_skew(gray, o.max_skew_deg, &r.ruled);
    if (std::abs(r.skew_deg) >= 0.05) {
      const cv::Point2f c(float(gray.cols) / 2, float(gray.rows) / 2);
      // getRotationMatrix2D turns counter-clockwise for positive angles;
      // lines rising to the right need a clockwise turn.
      cv::Mat m = cv::getRotationMatrix2D(c, -r.skew_deg, 1.0);
      const cv::Rect2f bb = cv::RotatedRect(c, gray.size(), float(-r.skew_deg)).boundingRect2f();
      m.at<double>(0, 2) += bb.width / 2.0 - c.x;
      m.at<double>(1, 2) += bb.height / 2.0 - c.y;
      cv::Mat rot;
      cv::warpAffine(gray, rot, m, cv::Size(cvRound(bb.width), cvRound(bb.height)),
                     cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(255));
      gray = rot;
    }
  }
  r.timings_ms.emplace_back("deskew", ms_since(t0));

  // 5. Rescale to the target x-height.
  t0 = Clock::now();
  {
    cv::Mat ink = gray < 170;
    r.xheight = estimate_xheight(ink);
  }
  if (o.rescale && r.xheight > 0) {
    const double s = std::clamp(o.target_xheight / r.xheight, o.min_scale, o.max_scale);
    if (std::abs(s - 1) > o.rescale_tolerance) {
      cv::Mat out;
      cv::resize(gray, out, cv::Size(), s, s, s < 1 ? cv::INTER_AREA : cv::INTER_CUBIC);
      gray = out;
      r.scale = s;
    }
  }
  r.timings_ms.emplace_back("scale", ms_since(t0));

  // 6. Specks inside letters' counters: the dot of a dotted zero.
  t0 = Clock::now();
  if (o.clear_counters && r.xheight > 0) r.counter_specks = clear_counter_specks(gray, r.xheight * r.scale);
  r.timings_ms.emplace_back("counters", ms_since(t0));

  // 7. Photos only: a light unsharp mask after resampling, so its radius
  // is in output pixels whatever the capture resolution was.
  t0 = Clock::now();
  if (r.photo && o.photo_sharpen > 0) gray = unsharp_mask(gray, o.photo_sharpen, o.sharpen_sigma);
  r.timings_ms.emplace_back("sharpen", ms_since(t0));
  return gray;
}

}  // namespace hotich::ocr
