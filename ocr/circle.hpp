// Circle tests shared by cleanup's grey stamps and layout's dark stamps.
#pragma once
#include <cmath>

#include <opencv2/core.hpp>

namespace hotich::ocr {

// Share (0..1) of the circle of radius r around (cx, cy) that passes through
// non-zero pixels of mask (CV_8UC1), looked at every `step` degrees (1: all
// 360 points; 6: a coarse look at 60). Points off the image count as empty.
inline double circle_cover(const cv::Mat& mask, float cx, float cy, double r, int step = 1) {
  // The unit circle once per process: stamp searches test thousands of
  // circles a page, and the sines and cosines were most of their time.
  struct Unit {
    double cos[360], sin[360];
    Unit() {
      for (int k = 0; k < 360; ++k) cos[k] = std::cos(k * CV_PI / 180), sin[k] = std::sin(k * CV_PI / 180);
    }
  };
  static const Unit unit;
  int on = 0, n = 0;
  for (int k = 0; k < 360; k += step, ++n) {
    const int x = cvRound(cx + r * unit.cos[k]);
    const int y = cvRound(cy + r * unit.sin[k]);
    on += x >= 0 && y >= 0 && x < mask.cols && y < mask.rows && mask.at<uchar>(y, x);
  }
  return double(on) / n;
}

}  // namespace hotich::ocr
